// Copy buttons for the playground's curl lines. Optional: every page works without JavaScript.
'use strict';
for (const pre of document.querySelectorAll('pre.pg-curl')) {
  const label = pre.previousElementSibling;
  if (!label) continue;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary pg-copy';
  button.textContent = 'Copy';
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(pre.textContent);
      button.textContent = 'Copied';
    } catch {
      // no clipboard access (an http origin other than localhost): select the text instead
      const range = document.createRange();
      range.selectNodeContents(pre);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = 'Selected: copy it';
    }
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 2000);
  });
  label.append(' ', button);
}
