// The live preview and the advice list that follows the region: progressive enhancement of
// a form that works without it. No framework, no inline script (the CSP forbids it).
'use strict';
(function () {
  const form = document.getElementById('handout-form');
  if (!form) return;
  document.documentElement.classList.add('js');
  // A page sent back with errors: the summary takes the focus, so a screen reader reads it.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  // A handout dropped anywhere on the page fills the form (the browser would otherwise open
  // it and leave the form); the file input and its button do the same without the script.
  const reissueForm = document.getElementById('reissue-form');
  const reissueFile = document.getElementById('reissue-file');
  const zone = document.getElementById('reissue');
  if (reissueFile && reissueFile.getAttribute('aria-invalid') === 'true') reissueFile.focus();
  const carriesFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  document.addEventListener('dragover', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    zone.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) zone.classList.remove('dragging');
  });
  document.addEventListener('drop', (e) => {
    if (!carriesFiles(e) || !e.dataTransfer.files.length) return;
    e.preventDefault();
    zone.classList.remove('dragging');
    reissueFile.files = e.dataTransfer.files;
    reissueForm.requestSubmit();
  });
  const pages = document.getElementById('preview-pages');
  const status = document.getElementById('preview-status');
  let timer = null;
  let urls = [];
  let sequence = 0;

  function body() {
    const data = new URLSearchParams(new FormData(form));
    data.delete('action');
    return data;
  }

  function clearErrors() {
    for (const p of form.querySelectorAll('p.error')) {
      p.hidden = true;
      p.textContent = '';
    }
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  }

  function showErrors(errors) {
    for (const e of errors) {
      if (!e.field) { status.textContent = e.message; continue; }
      const slot = document.getElementById(e.field + '-error');
      const input = document.getElementById(e.field);
      if (slot) { slot.hidden = false; slot.textContent = e.message; }
      if (input && input.tagName !== 'FIELDSET' && input.tagName !== 'DIV') input.setAttribute('aria-invalid', 'true');
    }
    status.textContent = errors.length === 1
      ? 'Forhåndsvisningen venter: ret fejlen ved feltet.'
      : 'Forhåndsvisningen venter: ret de ' + errors.length + ' fejl ved felterne.';
  }

  async function refresh() {
    timer = null;
    const mine = ++sequence;
    try { await redraw(mine); } finally {
      if (mine === sequence && timer === null) pages.removeAttribute('aria-busy');
    }
  }

  async function redraw(mine) {
    let answer;
    try {
      const response = await fetch('/preview', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body(),
        credentials: 'same-origin',
      });
      if (!response.ok) { status.textContent = 'Forhåndsvisningen kunne ikke laves (' + response.status + ').'; return; }
      answer = await response.json();
    } catch (_) {
      status.textContent = 'Forhåndsvisningen kunne ikke hentes. Kører pjece serve stadig?';
      return;
    }
    if (mine !== sequence) return;
    clearErrors();
    if (answer.errors.length) { showErrors(answer.errors); return; }
    for (const u of urls) URL.revokeObjectURL(u);
    urls = answer.pages.map((svg) => URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
    pages.replaceChildren(...urls.map((u, i) => {
      const img = document.createElement('img');
      img.src = u;
      img.alt = 'Side ' + (i + 1) + ' af ' + urls.length + ' af pjecen';
      return img;
    }));
    status.textContent = urls.length === 1 ? 'Pjecen fylder 1 side.' : 'Pjecen fylder ' + urls.length + ' sider.';
  }

  // aria-busy while a redraw is due or on its way: assistive technology (and the browser
  // tests) wait for the pages to settle.
  function later() {
    clearTimeout(timer);
    pages.setAttribute('aria-busy', 'true');
    timer = setTimeout(refresh, 300);
  }

  async function swapAdvice() {
    const region = form.querySelector('input[name=region]:checked');
    const variant = form.querySelector('input[name=variant]:checked');
    if (!region || !variant) return;
    const query = new URLSearchParams({ region: region.value, variant: variant.value });
    const response = await fetch('/advice?' + query, { credentials: 'same-origin' });
    if (!response.ok) return;
    const html = await response.text();
    const list = document.getElementById('advice-list');
    const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('advice-list');
    if (list && fresh) list.replaceWith(fresh);
    later();
  }

  // The therapist's guide prints none of the patient's fields: they are disabled (so not
  // sent, and kept for a switch back) and the page says why.
  const notice = document.getElementById('guide-notice');
  function followAudience() {
    const guide = !!form.querySelector('input[name=audience][value=therapist]:checked');
    for (const id of ['patient', 'advice', 'personal']) {
      const el = document.getElementById(id);
      if (el) el.disabled = guide;
    }
    for (const p of form.querySelectorAll('.guide-off')) p.hidden = !guide;
    notice.textContent = guide
      ? 'Samtaleguiden har ingen personlige felter: patientens navn, valget af råd og alt under „Personligt“ er slået fra.'
      : '';
  }
  followAudience();

  form.addEventListener('input', later);
  form.addEventListener('change', (event) => {
    const name = event.target.name;
    if (name === 'region' || name === 'variant') swapAdvice();
    else {
      if (name === 'audience') followAudience();
      later();
    }
  });
  pages.setAttribute('aria-busy', 'true');
  refresh();
})();
