// Unfolds the folded paragraphs (<details>) holding the target of the address's #fragment, so
// that a link from the index, another paragraph or another page lands on visible text.
const openTarget = () => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  for (let details = target.closest("details"); details; details = details.parentElement.closest("details")) {
    details.open = true;
  }
  // Once the unfolded text is laid out.
  requestAnimationFrame(() => target.scrollIntoView());
};
window.addEventListener("hashchange", openTarget);
openTarget();
