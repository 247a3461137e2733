"""The browser lab (``cnnlab serve``): thin pages over the library.

:mod:`cnnlab.web.handlers` turns a page's values into views (pure Python, testable without a
server); :mod:`cnnlab.web.app` lays out the Gradio page; :mod:`cnnlab.web.server` mounts it in
English and Spanish and serves it on 127.0.0.1.
"""
