@echo off
rem `herald`, the command line, run by the installed desktop app's own runtime (Herald.exe
rem as Node, ELECTRON_RUN_AS_NODE), so it works with no Node installed. Packaged as
rem resources\bin\herald.cmd: add that folder to PATH (docs/desktop-app.md).
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Herald.exe" "%~dp0..\app.asar.unpacked\dist\server\herald-cli.js" %*
exit /b %ERRORLEVEL%
