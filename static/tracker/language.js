// The language switcher keeps the page and its query as they are now: after a filter changed the list in place
// (htmx pushes the new URL), the link written by the server would still carry the old query. The language is the
// URL's /ja/ prefix alone, so the same path with the other prefix is the same page in the other language.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-language-prefix]");
  if (!link) return;
  const path = window.location.pathname.replace(/^\/ja(?=\/)/, "");
  link.href = link.dataset.languagePrefix + path + window.location.search + window.location.hash;
});
