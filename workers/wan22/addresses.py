"""The special-purpose ranges of RFC 6890 and its successors, as Reelgate's fetch guard (src/Reelgate/Fetch/AddressClassifier.cs) sorts them."""

import ipaddress

_V4 = [(ipaddress.ip_network(n), kind) for n, kind in [
    ("0.0.0.0/8", "this-network"),
    ("10.0.0.0/8", "private-network"),
    ("100.64.0.0/10", "carrier-grade NAT"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private-network"),
    ("192.0.0.0/24", "reserved"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "reserved"),
    ("192.168.0.0/16", "private-network"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
]]

_V6 = [(ipaddress.ip_network(n), kind) for n, kind in [
    ("64:ff9b:1::/48", "private-network"),
    ("100::/64", "reserved"),
    ("2001::/23", "reserved"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("fc00::/7", "private-network"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "private-network"),
    ("ff00::/8", "multicast"),
]]

_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_V4_COMPATIBLE = ipaddress.ip_network("::/96")


def classify(address) -> str:
    """'public', or the kind of special-purpose range the address is in."""
    address = ipaddress.ip_address(address)
    return _classify_v4(address) if address.version == 4 else _classify_v6(address)


def is_public(address) -> bool:
    return classify(address) == "public"


def _classify_v4(address: ipaddress.IPv4Address) -> str:
    if int(address) == 0:
        return "unspecified"
    if int(address) == 0xFFFFFFFF:
        return "broadcast"
    return next((kind for network, kind in _V4 if address in network), "public")


def _classify_v6(address: ipaddress.IPv6Address) -> str:
    if int(address) == 0:
        return "unspecified"
    if int(address) == 1:
        return "loopback"
    packed = address.packed
    # Addresses that carry an IPv4 address are judged by that address, since that is where packets end up.
    if address.ipv4_mapped is not None or address in _NAT64 or address in _V4_COMPATIBLE:
        return _classify_v4(ipaddress.IPv4Address(packed[12:16]))
    if address in _SIX_TO_FOUR:
        return _classify_v4(ipaddress.IPv4Address(packed[2:6]))
    kind = next((kind for network, kind in _V6 if address in network), None)
    if kind is not None:
        return kind
    return "public" if address in _GLOBAL_UNICAST else "reserved"
