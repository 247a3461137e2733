"""The browser lab (``cnnlab serve``): thin pages over the library.

:mod:`cnnlab.web.handlers` turns a page's values into views (pure Python, testable without a
server); :mod:`cnnlab.web.page` writes the page in English and Spanish; :mod:`cnnlab.web.server`
serves it and its JSON API on 127.0.0.1, behind the guards and :mod:`cnnlab.web.limits`;
:mod:`cnnlab.web.lab_runs` trains (once) the CNN and MLP that the Draw tab compares.
"""
