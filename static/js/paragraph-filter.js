// Narrows a <select multiple> of reply paragraphs to the options holding the words typed in the
// search box that names it (data-filters); chosen options always stay visible. Without
// JavaScript, the same box filters on the server when its small form is submitted.
document.querySelectorAll("input[data-filters]").forEach((input) => {
  const select = document.getElementById(input.dataset.filters);
  if (!select) return;
  const filter = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const option of select.options) {
      const text = option.text.toLowerCase();
      option.hidden = !option.selected && !words.every((word) => text.includes(word));
    }
  };
  input.addEventListener("input", filter);
  input.addEventListener("keydown", (event) => {
    // Enter filters here rather than submitting the entry.
    if (event.key === "Enter") event.preventDefault();
  });
});
