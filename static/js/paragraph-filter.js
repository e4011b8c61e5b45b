// Narrows a <select multiple> of reply paragraphs to the options holding the words typed in the
// search box that names it (data-filters); chosen options always stay visible. The words are
// looked for in each paragraph's heading and whole text when the page gives them (a JSON block
// with the id "<select id>-texts"), else in the option's label; without accents or case, each
// typed word the beginning of a word ("enfant" finds "enfants" and "l'enfant"). Without
// JavaScript, the same box filters and ranks on the server when its small form is submitted.
const plain = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
document.querySelectorAll("input[data-filters]").forEach((input) => {
  const select = document.getElementById(input.dataset.filters);
  if (!select) return;
  const block = document.getElementById(`${select.id}-texts`);
  const texts = block ? JSON.parse(block.textContent) : {};
  const words = new Map();
  for (const option of select.options) {
    words.set(option, plain(` ${texts[option.value] || option.text}`).split(/[^\p{L}\p{N}]+/u));
  }
  const filter = () => {
    const typed = plain(input.value).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    for (const option of select.options) {
      const found = words.get(option);
      option.hidden = !option.selected
        && !typed.every((word) => found.some((candidate) => candidate.startsWith(word)));
    }
  };
  input.addEventListener("input", filter);
  input.addEventListener("keydown", (event) => {
    // Enter filters here rather than submitting the entry.
    if (event.key === "Enter") event.preventDefault();
  });
  filter();
});
