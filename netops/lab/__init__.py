"""A real FRRouting lab on this machine: network namespaces, FRR daemons, real OpenSSH.

``Lab(settings, lab_id).up()`` builds three routers (r1, r2, r3) in a triangle and returns a
:class:`LabInfo`; ``down()`` removes everything again. Heavy lifting needs root and the
Debian packages frr, openssh-server and socat. See :mod:`netops.lab.topology` for addressing.
"""

from netops.lab.builder import Lab, ProgressFn
from netops.lab.system import LabPrerequisiteError
from netops.lab.topology import Topology, build_topology
from netops.lab.types import LabInfo, LabStatus, LinkInfo, RouterInfo, RouterStatus

__all__ = ["Lab", "LabInfo", "LabPrerequisiteError", "LabStatus", "LinkInfo", "ProgressFn", "RouterInfo", "RouterStatus",
           "Topology", "build_topology"]
