"""One fault site per module: web process, worker and proxy, restored between scenarios."""

from __future__ import annotations

import pytest

from tests.faults.site import FaultSite


@pytest.fixture(scope="module")
def fault_site(tmp_path_factory):
    site = FaultSite(tmp_path_factory.mktemp("faults"))
    site.prepare()
    site.start_web()
    site.start_worker()
    yield site
    site.close()


@pytest.fixture
def faults(fault_site):
    """The site with the proxy passing everything and both processes up, before and after."""
    fault_site.proxy.set("pass")
    yield fault_site
    fault_site.proxy.set("pass")
    if fault_site.web is None:
        fault_site.start_web()
    if fault_site.worker is None:
        fault_site.start_worker()
