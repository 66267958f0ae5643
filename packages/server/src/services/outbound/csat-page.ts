/**
 * The page behind an emailed survey link (`/csat/<token>`). It holds no server data, so nothing
 * needs escaping: its script reads the token from the address and talks to /api/csat/<token>,
 * writing only through textContent. It has no inline script or style, so the page CSP that every
 * HTML response gets (http/security-headers.ts: script-src 'self', no framing, no Referer — the
 * address carries the token) holds it.
 */
export const CSAT_PAGE_SCRIPT_PATH = '/assets/csat.js';

export const CSAT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
};

export const CSAT_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How did we do?</title>
<script src="${CSAT_PAGE_SCRIPT_PATH}" defer></script>
</head>
<body>
<main>
<h1 id="question">How did we do?</h1>
<p id="status" role="status">Loading…</p>
<form id="answer" hidden>
<p><label for="comment">Anything you would like to add? (optional)</label><br>
<textarea id="comment" maxlength="2000" rows="4" cols="50"></textarea></p>
<p><button type="submit" value="good">Good</button> <button type="submit" value="bad">Bad</button></p>
</form>
</main>
</body>
</html>
`;

export const CSAT_PAGE_SCRIPT = `'use strict';
(function () {
  var token = location.pathname.split('/').pop() || '';
  var api = '/api/csat/' + encodeURIComponent(token);
  var question = document.getElementById('question');
  var status = document.getElementById('status');
  var form = document.getElementById('answer');
  var comment = document.getElementById('comment');
  var sending = false;

  function render(view) {
    question.textContent = view.question;
    if (view.state === 'answered') {
      form.hidden = true;
      status.textContent = 'Thank you! Your rating of ticket #' + view.ticketNumber + ' is recorded.';
    } else if (view.state === 'expired') {
      form.hidden = true;
      status.textContent = 'This survey about ticket #' + view.ticketNumber + ' has expired.';
    } else {
      form.hidden = false;
      status.textContent = 'About ticket #' + view.ticketNumber;
    }
  }

  function call(method, body) {
    var init = { method: method, headers: {} };
    if (body) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(api, init).then(function (r) {
      return r.json().then(function (payload) {
        if (!r.ok) throw new Error((payload && payload.error && payload.error.message) || 'Something went wrong');
        return payload;
      });
    });
  }

  function fail(err) {
    sending = false;
    status.textContent = err && err.message ? err.message : 'Something went wrong';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var rating = event.submitter && event.submitter.value;
    if (sending || (rating !== 'good' && rating !== 'bad')) return;
    sending = true;
    var body = { rating: rating };
    if (comment.value.trim() !== '') body.comment = comment.value;
    status.textContent = 'Sending…';
    call('POST', body).then(render, fail);
  });

  call('GET').then(render, fail);
})();
`;
