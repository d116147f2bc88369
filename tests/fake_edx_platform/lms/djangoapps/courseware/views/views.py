import fake_state
from django.http import HttpResponse


def render_xblock(
    request, usage_key_string, check_if_enrolled=True, disable_staff_debug_info=False
):
    fake_state.calls.append(
        ("render_xblock", usage_key_string, check_if_enrolled, disable_staff_debug_info)
    )
    return HttpResponse(f"<div class='xblock' data-usage-id='{usage_key_string}'>rendered</div>")
