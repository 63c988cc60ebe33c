# initsock's adopting path entry for Python: uvicorn and socketserver/http.server on the activated port serve fd 3.
#
# Put this folder first on PYTHONPATH (src/adopt/paths.ts). It acts only in the process the socket was passed to
# (LISTEN_PID is its pid, LISTEN_FDS >= 1), removes LISTEN_* from the environment so children never act on them,
# and reads the activated port from INITSOCK_ADOPT_PORT, else from fd 3 itself. Then:
#   uvicorn: a Config for that port gets fd=3 (uvicorn then serves the inherited socket, as `uvicorn --fd 3` does)
#            and a backlog as large as the kernel allows, so the init system's queue is not shrunk; its Server is
#            given fd 3 as a TCP socket, not uvicorn's AF_UNIX wrapping of it, so Nagle stays off;
#   socketserver.TCPServer (http.server included): a server for that port takes fd 3 instead of binding.
# Both are patched when their module is first imported, so a program that uses neither pays nothing. Any other
# sitecustomize on the path (the distribution's) still runs afterwards.
import os
import sys

_FD = 3
_BACKLOG = 2 ** 31 - 1  # the kernel caps it at net.core.somaxconn
_report = (lambda m: sys.stderr.write('initsock adopt: %s\n' % m)) if os.environ.get('INITSOCK_ADOPT_REPORT') == '1' else (lambda m: None)


def _activated_port():
    env = os.environ
    if env.get('LISTEN_PID') != str(os.getpid()) or not env.get('LISTEN_FDS', '0').isdigit() or int(env['LISTEN_FDS']) < 1:
        return None
    for name in ('LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES', 'INITSOCK_ACTIVATION'):
        env.pop(name, None)
    if env.get('INITSOCK_ADOPT_PORT', '').isdigit():
        return int(env['INITSOCK_ADOPT_PORT'])
    import socket
    try:
        with socket.socket(fileno=os.dup(_FD)) as s:
            return s.getsockname()[1]
    except (OSError, IndexError, TypeError):
        sys.stderr.write('initsock adopt: fd 3 is not a TCP socket and INITSOCK_ADOPT_PORT is not set; nothing adopted\n')
        return None


def _patch_uvicorn(module, port):
    init = module.Config.__init__

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if self.port == port and self.fd is None and self.uds is None:
            _report('uvicorn serves port %d from fd %d' % (port, _FD))
            self.fd = _FD
            self.backlog = max(self.backlog, _BACKLOG)
    module.Config.__init__ = __init__


def _patch_uvicorn_server(module):
    """uvicorn serves Config.fd through socket.fromfd(fd, AF_UNIX): asyncio then sets no TCP_NODELAY on the TCP
    connections it accepts, and every keep-alive answer waits for the client's delayed ACK (about 40 ms). Handing
    uvicorn the same fd as a socket of its real family keeps Nagle off, as when uvicorn binds the port itself."""
    import socket
    startup = module.Server.startup

    async def startup_on_socket(self, sockets=None):
        if sockets is None and self.config.fd == _FD:
            sockets = [socket.socket(fileno=os.dup(_FD))]
        return await startup(self, sockets=sockets)
    module.Server.startup = startup_on_socket


def _patch_socketserver(module, port):
    import socket
    bind, activate = module.TCPServer.server_bind, module.TCPServer.server_activate

    def server_bind(self):
        if self.server_address[1] != port:
            return bind(self)
        _report('socketserver serves port %d from fd %d' % (port, _FD))
        self.socket.close()
        self.socket = socket.socket(fileno=os.dup(_FD))
        self._initsock_adopted = True
        self.server_address = self.socket.getsockname()

    def server_activate(self):
        if getattr(self, '_initsock_adopted', False):
            self.socket.listen(_BACKLOG)
        else:
            activate(self)
    module.TCPServer.server_bind, module.TCPServer.server_activate = server_bind, server_activate


class _PatchOnImport:
    """A meta-path finder that runs a patch right after one of its modules has been executed."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.pop(name, None)
        if patch is None:
            return None
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def run(module):
            exec_module(module)
            patch(module)
        spec.loader.exec_module = run
        return spec


def _install():
    port = _activated_port()
    if port is None:
        return
    sys.meta_path.insert(0, _PatchOnImport({
        'uvicorn.config': lambda m: _patch_uvicorn(m, port),
        'uvicorn.server': _patch_uvicorn_server,
        'socketserver': lambda m: _patch_socketserver(m, port),
    }))


def _chain():
    """Runs the next sitecustomize on sys.path (this one shadows it), as if this file were not there."""
    import importlib
    here = os.path.dirname(os.path.abspath(__file__))
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != here]
    try:
        del sys.modules['sitecustomize']
        importlib.import_module('sitecustomize')
    except ImportError:
        pass
    finally:
        sys.path[:] = saved


_install()
_chain()
