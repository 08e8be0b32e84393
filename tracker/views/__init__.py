"""One module per page (or family of pages): overview, commitment index, commitment detail, sources, static pages."""
