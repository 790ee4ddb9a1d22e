// Submits a form when a <select data-autosubmit> changes (the language switch). A static file,
// not an inline onchange="...", because the Content Security Policy blocks inline handlers.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
