"""kitpress: plain YAML in, print-ready PDF handout kits out."""

__version__ = "0.1.0"
