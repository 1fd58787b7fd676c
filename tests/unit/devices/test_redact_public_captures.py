"""Secrets that survived ``redact`` in public captures (vendors34, ``bench/redact_sweep.py`` over
the parser sweep's snapshots: 4,540 files, 20,019 lines naming a secret). Each line below is quoted
from its source, whose example key is published there (no real secret); the sources:

- Huawei's own NE40E V800R012C10 / CE6800 V300R023C00 documentation (WheaterW/INTA-project corpus):
  ``Example_for_Configuring_SNMP_Proxy_Using_User-Defined_Parameter_Settings.md`` (``snmp-agent proxy
  community``), the BRAS RADIUS examples (``radius-server shared-key-cipher`` typed in clear),
  ``dc_CGN_Reliability_Configuration_Commands/remote-backup.json`` (``authentication-key``).
- networktocode/pyntc (Apache-2.0) ``tests/unit/test_devices/device_mocks/asa/send_command/show_running-config``
  (an ASA's ``passwd ... encrypted``: a plugin platform gets every rule).
"""

from __future__ import annotations

import pytest

from netops.devices.redact import redact


@pytest.mark.parametrize(("line", "platform", "secret"), [
    ("[~PE] snmp-agent proxy community snmpv3_proxy@ccu remote-engineid 800007DB0338EBD9210010", "huawei_vrp",
     "snmpv3_proxy@ccu"),
    ("[*HUAWEI] snmp-agent proxy community proxy_public remote-engineid 800007DB03360607111100 acl 2000", "huawei_vrp",
     "proxy_public"),
    ("[*BRAS1-radius-rd1] radius-server shared-key-cipher YsHsjx_202206", "huawei_vrp", "YsHsjx_202206"),
    (" radius-server shared-key-cipher %^%#vS%796FO7%C~pB%CR=q;j}gSCqR-X6+P!.DYI@)%^%", "huawei_vrp", "vS%796FO7"),
    ("[*HUAWEI-service-location-2] remote-backup interface GigabitEthernet 1/0/1 peer 10.2.2.2 authentication-key 1234Aa@#",
     "huawei_vrp", "1234Aa@#"),
    ("passwd 2KFQnbNIdI.2KYOU encrypted", None, "2KFQnbNIdI.2KYOU"),
    ("passwd 2KFQnbNIdI.2KYOU encrypted", "cisco_ios", "2KFQnbNIdI.2KYOU"),
])
def test_the_secret_is_gone(line, platform, secret):
    out = redact(line, platform)
    assert secret not in out and "<redacted>" in out, out


@pytest.mark.parametrize(("line", "platform"), [
    ("snmp-agent community complexity-check disable", "huawei_vrp"),  # no community in it
    ("getent passwd frr > /dev/null && deluser frr", None),  # a shell line, not a device's passwd
    ("vpn-target 111:1 export-extcommunity evpn", "huawei_vrp"),
    (" authentication-key 1 {", "nokia_sros"),  # a key number (MD-CLI), the key is on the next line
    ("  Authentication-key : ******", "huawei_vrp"),  # a label in show output, masked already
])
def test_lines_without_a_secret_stay(line, platform):
    assert redact(line, platform) == line
