"""Drawing with ReportLab. Renderers get validated objects and return PDF bytes;
they know nothing of YAML, files or the command line."""
