"""Text as a reader sees it, for assertions on pages, PDFs and documents."""


def flat(text: str) -> str:
    """The text with every run of white space (line breaks of a PDF or a template) made one space."""
    return " ".join(text.split())
