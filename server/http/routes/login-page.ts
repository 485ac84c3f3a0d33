// The dashboard's login form: one password field, posted to /login (never a GET, so
// the token is never in a URL). No inline script or style, for the strict CSP.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function loginPage(problem: string | null): string {
  const error = problem
    ? `<p class="field-error" id="token-error" role="alert">${escapeHtml(problem)}</p>`
    : '<p class="field-error" id="token-error"></p>';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>Sign in · Herald</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/app.css">
  </head>
  <body>
    <main class="login">
      <h1>Herald</h1>
      <p>This server needs its token. It is the value given to <code>herald serve --token</code> (or <code>HERALD_TOKEN</code>).</p>
      <form method="post" action="/login" class="login-form">
        <input type="text" name="username" value="herald" autocomplete="username" hidden>
        <div class="form-field">
          <label for="token">Token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required autofocus aria-describedby="token-error"${problem ? ' aria-invalid="true"' : ''}>
          ${error}
        </div>
        <button type="submit" class="primary">Sign in</button>
      </form>
      <p class="muted">Signing in keeps a session in an HttpOnly cookie (never the token); scripts cannot read it. Sign out ends it.</p>
    </main>
  </body>
</html>
`;
}
