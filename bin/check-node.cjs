// Runs before anything else in every entry point (bin/herald.js, and `node -r` or
// `node bin/check-node.cjs` in the npm scripts): on a Node.js older than package.json's
// "engines" asks for, print ONE line naming both versions and exit 1, instead of a
// stack trace from the first .ts file (ERR_UNKNOWN_FILE_EXTENSION) or node:sqlite.
//
// Plain CommonJS in old syntax (var, function, no arrow or template), so that any
// Node.js that can start can run it. Why "engines" says >=24.7: the npm scripts run
// .ts files without a flag (type stripping, on by default from 22.18 and 23.6), the
// stores use node:sqlite's isTransaction (22.16, 24.0), and they bind ?NNN
// parameters by position, which node:sqlite does from 24.7.0 on (nodejs/node#59350;
// 22.18 fails every publish with "column index out of range").
'use strict';

var fs = require('fs');
var path = require('path');

function parseVersion(text) {
  var match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(String(text).trim());
  if (!match) return null;
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

function compare(a, b) {
  for (var i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** One comparator of a range (">=24", "^22.18.0", "<23", "22.18.0") as a test on a version. */
function comparator(text) {
  var match = /^(\^|~|>=|<=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})$/.exec(text);
  if (!match) return null;
  var operator = match[1] || '=';
  var version = parseVersion(match[2]);
  var parts = match[2].split('.').length;
  if (operator === '^') {
    var below = version[0] > 0 ? [version[0] + 1, 0, 0] : [0, version[1] + 1, 0];
    return function (v) { return compare(v, version) >= 0 && compare(v, below) < 0; };
  }
  if (operator === '~') {
    var under = parts === 1 ? [version[0] + 1, 0, 0] : [version[0], version[1] + 1, 0];
    return function (v) { return compare(v, version) >= 0 && compare(v, under) < 0; };
  }
  return function (v) {
    var order = compare(v, version);
    if (operator === '>=') return order >= 0;
    if (operator === '<=') return order <= 0;
    if (operator === '>') return order > 0;
    if (operator === '<') return order < 0;
    return order === 0;
  };
}

/**
 * Whether `version` (e.g. "v20.20.2") is in `range`, a semver range of the forms
 * package.json "engines" uses: alternatives joined by ||, each one or more
 * comparators separated by spaces. Null when the range cannot be read.
 */
function satisfies(version, range) {
  var v = parseVersion(version);
  if (!v) return null;
  var alternatives = String(range).split('||');
  var any = false;
  for (var i = 0; i < alternatives.length; i++) {
    var words = alternatives[i].trim().replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1').split(/\s+/);
    var all = true;
    for (var j = 0; j < words.length; j++) {
      var test = comparator(words[j]);
      if (!test) return null;
      if (!test(v)) all = false;
    }
    if (all) any = true;
  }
  return any;
}

/** The line to print when `version` does not satisfy `range`, or null when it does. */
function problem(version, range, executable) {
  var ok = satisfies(version, range);
  if (ok === true) return null;
  if (ok === null) return 'herald: cannot read the Node.js version range "' + range + '" in package.json "engines"';
  return 'herald needs Node.js ' + range + ' (package.json "engines"); this is Node.js ' + version + ' at ' + executable +
    '. Install Node.js 24 LTS (https://nodejs.org) and run again.';
}

function engines() {
  var file = path.join(__dirname, '..', 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).engines.node;
}

module.exports = { satisfies: satisfies, problem: problem, engines: engines };

var line = problem(process.version, engines(), process.execPath);
if (line !== null) {
  process.stderr.write(line + '\n');
  process.exit(1);
}
