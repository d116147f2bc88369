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
            # A lock wait ends in an error, not a hang: MariaDB's metadata lock wait defaults
            # to a year, so a flush behind a stuck thread's transaction would never return.
            "init_command": (
                "SET sql_mode='STRICT_TRANS_TABLES', lock_wait_timeout=60,"
                " innodb_lock_wait_timeout=30"
            ),
        },
        "TEST": {"NAME": "test_lti_provider", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_bin"},
    }
}
