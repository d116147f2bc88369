"""Short registration steps per platform, shown on the admin's platform configuration page.

Written from each vendor's public documentation; docs/registering.rst marks what was not verified
against a live instance.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PLATFORM_STEPS: dict[str, list[Promise]] = {
    "Canvas": [
        _("Admin > Developer Keys > + Developer Key > + LTI Key."),
        _("Key Settings > Method: Enter URL, and paste the Canvas configuration URL below. Save."),
        _("Turn the key ON; copy its Client ID (the number under Details)."),
        _(
            "Settings > Apps > + App > By Client ID: paste it, install, then open the app's "
            "Deployment Id (cog menu)."
        ),
        _(
            "Here: issuer https://canvas.instructure.com, client id from Canvas, auth login URL "
            "https://sso.canvaslms.com/api/lti/authorize_redirect, token URL "
            "https://sso.canvaslms.com/login/oauth2/token, key set URL "
            "https://sso.canvaslms.com/api/lti/security/jwks, deployment id from Canvas."
        ),
        _(
            "The Canvas configuration adds Deep Linking placements: teachers add content from "
            "Modules > + > External Tool, Assignments (graded, with a gradebook column) and the "
            "rich content editor, and pick blocks in the tool's picker."
        ),
    ],
    "Moodle": [
        _(
            "Site administration > Plugins > Activity modules > External tool > Manage tools > "
            "configure a tool manually."
        ),
        _(
            "LTI version LTI 1.3; Public key type Keyset URL = the JWKS URL; Initiate login URL, "
            "Redirection URI(s) and Tool URL from the values below."
        ),
        _(
            "Tick Supports Deep Linking (Content-Item Message) and set Content Selection URL to "
            "the deep linking URL: teachers then 'Select content' when adding the activity."
        ),
        _(
            "Services: IMS LTI Assignment and Grade Services = use this service for grade sync and "
            "column management. Privacy: share launcher's name if you want names in Open edX."
        ),
        _(
            "Save, then View configuration details: copy Platform ID (issuer), Client ID, "
            "Deployment ID, Public keyset URL, Access token URL, Authentication request URL here."
        ),
    ],
    "Brightspace": [
        _("Admin Tools > Manage Extensibility > LTI Advantage > Register Tool (Standard)."),
        _(
            "Domain = this LMS, Redirect URLs = the redirect URI, OpenID Connect Login URL, Keyset "
            "URL = the JWKS URL; Extensions: Assignment and Grade Services."
        ),
        _(
            "Register, then create a Deployment for the org units that may use it, and a Link of "
            "type Deep Linking Quicklink whose URL is the deep linking URL: teachers pick blocks "
            "from Add Existing > the tool."
        ),
        _(
            "Copy Issuer, Client Id, OpenID Connect Authentication Endpoint, Brightspace OAuth2 "
            "Access Token URL, Brightspace Keyset URL and the deployment id here."
        ),
    ],
    "Blackboard": [
        _(
            "The tool must first be registered on the Anthology Developer Portal, which gives an "
            "Application ID (client id); enter the login, redirect (tool) and JWKS URLs there."
        ),
        _(
            "Learn: Administrator Panel > LTI Tool Providers > Register LTI 1.3/Advantage Tool, "
            "paste the Application ID, and allow grade service access."
        ),
        _(
            "Add a Course Content Tool placement of type Deep Linking content tool with the deep "
            "linking URL as its Target Link URI: teachers pick blocks from Content Market."
        ),
        _(
            "Copy Issuer (https://blackboard.com), the Developer Portal's auth, token and JWKS "
            "URLs "
            "and the Deployment ID shown in Learn here."
        ),
    ],
}
