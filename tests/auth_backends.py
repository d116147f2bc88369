"""An authentication backend like a multi-site one (eox-tenant): no ModelBackend in its name."""

from django.contrib.auth import get_user_model


class TenantBackend:
    """Authenticates nobody by password; reloads users by primary key for sessions."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return get_user_model().objects.filter(pk=user_id, is_active=True).first()
