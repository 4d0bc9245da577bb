// Progressive enhancement only: every page works without this file.
document.documentElement.classList.remove("no-js");

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  const target = document.getElementById(button.dataset.copy);
  if (!target) return;
  navigator.clipboard.writeText(target.value || target.textContent.trim()).then(() => {
    const original = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = original; }, 2000);
  });
});

// Guard against double submits: a form is sent once, its buttons then show it is working.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.submitted === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
});
