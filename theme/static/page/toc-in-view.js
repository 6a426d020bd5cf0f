// The table of contents beside the text marks the section being read: the last one whose
// heading has passed the top bar (or the last one, at the end of the page).

/** How far below the top of the window a heading counts as passed: below the top bar. */
const LINE = 90;

const sections = [];
for (const link of document.querySelectorAll(".page-toc a[href^='#']")) {
  const heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (heading) sections.push({ link, heading });
}

let current = null;
let scheduled = false;

function markSectionInView() {
  scheduled = false;
  let found = sections[0];
  for (const section of sections) {
    if (section.heading.getBoundingClientRect().top - LINE <= 0) found = section;
    else break;
  }
  const atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
  if (atEnd && window.scrollY > 0) found = sections[sections.length - 1];
  if (found === current) return;
  if (current) {
    current.link.classList.remove("active");
    current.link.removeAttribute("aria-current");
  }
  found.link.classList.add("active");
  found.link.setAttribute("aria-current", "location");
  current = found;
}

function schedule() {
  if (!scheduled) {
    scheduled = true;
    window.requestAnimationFrame(markSectionInView);
  }
}

if (sections.length) {
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  markSectionInView();
}
