"""Which network addresses the tool never sends a request to, whatever a host name says.

A platform's host name is chosen by whoever registered it (a dynamic registration link holder
included) and resolved by DNS, which its owner controls. Loopback, link-local (cloud metadata
services answer on 169.254.169.254), multicast, unspecified and reserved addresses are never a
platform in production. Private ranges stay allowed: campus LMSs live there.
"""

from __future__ import annotations

import ipaddress

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# 0.0.0.0/8 is "this network": Linux connects 0.0.0.0 to the local host.
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
# The well-known NAT64 prefix carries an IPv4 address in its last 32 bits (RFC 6052).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def parse(text: str) -> IpAddress | None:
    """The address in ``text`` (an IPv6 zone suffix dropped), None if it is not one."""
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def embedded_ipv4(address: IpAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address reaches (mapped, NAT64 or 6to4), if it carries one."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def is_refused(address: IpAddress) -> bool:
    """True for an address no request of this tool may go to (see the module's docstring)."""
    inner = embedded_ipv4(address)
    if inner is not None:  # judged by where it leads (::ffff:0:0/96 alone is "reserved")
        return is_refused(inner)
    if isinstance(address, ipaddress.IPv4Address) and address in _THIS_NETWORK:
        return True
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )
