import pytest
from tests.conftest import make_family
from tests.e2e.conftest import log_in
pytestmark = pytest.mark.browser

def test_dbg(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    log_in(page, live_server.url, hv)
    print("problems after login", page.problems)
    page.goto(f"{live_server.url}/families/{family.pk}/")
    page.wait_for_timeout(500)
    print("problems family", page.problems)
    page.evaluate("() => { window.__v = []; document.addEventListener('securitypolicyviolation', e => window.__v.push([e.violatedDirective, e.sourceFile, e.lineNumber, e.sample])); }")
    try:
        page.add_script_tag(url="/__e2e__/axe.min.js")
    except Exception as e:
        print("ERR", e)
    page.wait_for_timeout(300)
    print(page.evaluate("() => window.__v"))
    print("problems end", page.problems)
