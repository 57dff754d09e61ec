"""Which network addresses a chart reference may reach.

The check is made on the IP address each connection is actually opened to (after DNS, and
again for every redirect), so neither a DNS name nor a redirect can lead to a refused address.
"""

from __future__ import annotations

import ipaddress

from otterhelm.errors import PermissionDenied

from .config import AddressPolicy

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata services of the common clouds; most are link-local already, these are not.
CLOUD_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)


def refusal_reason(address: IPAddress, policy: AddressPolicy) -> str | None:
    """Why `address` may not be reached, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return refusal_reason(address.ipv4_mapped, policy)
    if any(address in net for net in policy.allowed_networks):
        return None
    if address in CLOUD_METADATA:
        return "a cloud metadata address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address"
    if not policy.allow_private and address.is_private:
        return "a private address"
    if not policy.allow_private and not address.is_global:
        return "a non-public address"  # shared (100.64/10), documentation and other special ranges
    return None


def check_address(host: str, address: str, policy: AddressPolicy) -> None:
    reason = refusal_reason(ipaddress.ip_address(address.split("%", 1)[0]), policy)
    if reason is not None:
        raise PermissionDenied(
            f"refusing to connect to {host} ({address}): {reason} is not allowed by the configuration"
        )
