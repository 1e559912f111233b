// Human check (ALTCHA v2 proof of work) for <form data-proof-of-work="/challenge/url"> holding
// <input type="hidden" name="altcha">, a submit button and an aria-live [data-proof-of-work-status].
// Solving starts on page load in Web Workers (proof-of-work-worker.js, next to this file).
// No inline script, no eval: works under script-src 'self'; worker-src 'self'.
(function () {
  'use strict';
  const script = document.currentScript;
  const workerURL = script && script.src
    ? new URL('proof-of-work-worker.js', script.src).href : '/account/assets/proof-of-work-worker.js';

  function setUp(form) {
    const input = form.querySelector('input[name="altcha"]');
    const status = form.querySelector('[data-proof-of-work-status]');
    const buttons = form.querySelectorAll('button:not([type]), [type="submit"]');
    let workers = [], state = 'running', attempt = 0;

    function say(text, retry) {
      status.textContent = text;
      if (!retry) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Try again';
      button.addEventListener('click', start);
      status.append(' ', button);
    }
    function stopWorkers() {
      workers.forEach((worker) => worker.terminate());
      workers = [];
    }
    function fail(current) {
      if (current !== attempt) return;
      stopWorkers();
      state = 'failed';
      say('Sorry, the human check did not work.', true);
    }
    function finish(current, challenge, solution) {
      if (current !== attempt) return;
      stopWorkers();
      const json = JSON.stringify({
        challenge: { parameters: challenge.parameters, signature: challenge.signature },
        solution: { counter: solution.counter, derivedKey: solution.derivedKey, time: solution.time },
      });
      // Standard base64 of the UTF-8 bytes (btoa alone throws on non-Latin-1 text).
      input.value = btoa(Array.from(new TextEncoder().encode(json), (b) => String.fromCharCode(b)).join(''));
      state = 'solved';
      buttons.forEach((button) => { button.disabled = false; });
      say('Done — you can continue.');
    }
    function solve(current, challenge) {
      if (current !== attempt) return;
      const count = navigator.hardwareConcurrency >= 2 ? 2 : 1; // worker i tries i, i + count, …
      let shown = 0;
      for (let i = 0; i < count; i++) {
        const worker = new Worker(workerURL);
        worker.onmessage = ({ data }) => {
          if (current !== attempt || state !== 'running') return; // a late message from a stopped worker
          if (data.type === 'solved') return finish(current, challenge, data.solution);
          if (data.type !== 'progress') return fail(current);
          const percent = Math.min(99, Math.floor(data.counter / 100)); // counter / 10,000 as a percentage
          if (percent > shown) say('Checking you are human (usually a few seconds)… ' + (shown = percent) + '%');
        };
        worker.onerror = () => fail(current);
        worker.postMessage({ parameters: challenge.parameters, start: i, step: count });
        workers.push(worker);
      }
    }
    function start() {
      const current = ++attempt;
      stopWorkers();
      state = 'running';
      input.value = '';
      buttons.forEach((button) => { button.disabled = true; });
      say('Checking you are human (usually a few seconds)…');
      fetch(form.getAttribute('data-proof-of-work'), { credentials: 'same-origin', cache: 'no-store' })
        .then((response) => {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.json();
        })
        .then((challenge) => solve(current, challenge))
        .catch(() => fail(current));
    }

    form.addEventListener('submit', (event) => {
      if (state === 'solved') return;
      event.preventDefault();
      if (state === 'running') say('Please wait a moment: the human check is still running.');
    });
    start();
  }

  function setUpAll() {
    document.querySelectorAll('form[data-proof-of-work]').forEach(setUp);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUpAll);
  else setUpAll();
})();
