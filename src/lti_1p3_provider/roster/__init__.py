"""The class roster a platform offers through Names and Role Provisioning Services (NRPS)."""
