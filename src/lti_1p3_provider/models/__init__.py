"""The provider's models; registrations and tool keys live in pylti1p3's ``lti1p3_tool_config``."""

from lti_1p3_provider.models.consumers import Lti1p1Consumer
from lti_1p3_provider.models.gates import LaunchGate
from lti_1p3_provider.models.identities import AccountOrigin, LtiProfile
from lti_1p3_provider.models.key_rotations import ToolKeyRotation
from lti_1p3_provider.models.launches import LtiLaunch
from lti_1p3_provider.models.organizations import OrganizationRole, ToolKeyOwner
from lti_1p3_provider.models.passbacks import PassbackStatus, ScorePassback
from lti_1p3_provider.models.policies import RegistrationPolicy, policy_for
from lti_1p3_provider.models.privacy import DataRemovalRequest
from lti_1p3_provider.models.registration_links import RegistrationLink
from lti_1p3_provider.models.self_check import SelfCheck

__all__ = [
    "AccountOrigin",
    "DataRemovalRequest",
    "LaunchGate",
    "Lti1p1Consumer",
    "LtiLaunch",
    "LtiProfile",
    "OrganizationRole",
    "PassbackStatus",
    "RegistrationLink",
    "RegistrationPolicy",
    "ScorePassback",
    "SelfCheck",
    "ToolKeyOwner",
    "ToolKeyRotation",
    "policy_for",
]
