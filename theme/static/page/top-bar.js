// The top bar's buttons, on every page: the sidebar toggle on narrow screens, the light/dark
// toggle (the choice is remembered; ../theme.js applies it before the next page is painted),
// and the print button.

const root = document.documentElement;

const sidebarButton = document.getElementById("sidebar-toggle");
sidebarButton?.addEventListener("click", () => {
  const open = root.classList.toggle("sidebar-open");
  sidebarButton.setAttribute("aria-expanded", String(open));
});

document.getElementById("theme-toggle")?.addEventListener("click", () => {
  const dark = root.dataset.theme
    ? root.dataset.theme === "dark"
    : window.matchMedia("(prefers-color-scheme: dark)").matches;
  const next = dark ? "light" : "dark";
  root.dataset.theme = next;
  try {
    localStorage.setItem("theme", next);
  } catch {
    // Storage may be disabled: the choice holds for this page only.
  }
});

for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
