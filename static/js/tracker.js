// A table box that scrolls sideways takes the keyboard focus, so that it can be scrolled
// without a mouse (axe: scrollable-region-focusable).
for (const box of document.querySelectorAll(".table-responsive, .table-box")) {
  if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
    box.tabIndex = 0;
  }
}
