"""Test settings on MariaDB in strict mode, like an Open edX LMS's MySQL (``make test-mysql``).

The server is started by ``scripts/mysql-server`` on a private socket (no TCP port).
"""

import os

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "lti_provider",
        "USER": "root",
        "PASSWORD": "",
        "HOST": os.environ.get("LTI_TEST_MYSQL_SOCKET", "/tmp/lti-mysql.sock"),
        "OPTIONS": {
            "charset": "utf8mb4",
            # Open edX's MySQL runs strict: an over-long value is an error, never truncated.
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
        },
        "TEST": {"NAME": "test_lti_provider", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_bin"},
    }
}
