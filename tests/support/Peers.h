#pragma once
// Test helper: where the real peers of the interop tests are (installed by
// tests/peers/install.sh: Debian packages, and npm packages under <checkout>/.peers).
// Each lookup returns an empty string when the peer is missing; the test then QSKIPs with
// skipMessage(), which names the package and how to install it.

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>

namespace Peers {

inline QString executable(const QString& name)
{
    return QStandardPaths::findExecutable(name);
}

// A python3 that can import `module` (e.g. "pylsp", "websockets", "aiorpcx"): the one on PATH
// first, then Debian's own, where the packaged peers (python3-websockets, ...) live when PATH
// starts with another interpreter (pyenv's, a virtualenv's).
inline QString pythonWith(const QString& module)
{
    const QString onPath = executable(QStringLiteral("python3"));
    for (const QString& python : {onPath, QStringLiteral("/usr/bin/python3")}) {
        if (python.isEmpty() || !QFileInfo(python).isExecutable())
            continue;
        QProcess p;
        p.start(python, {QStringLiteral("-c"), QStringLiteral("import ") + module});
        if (p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return python;
    }
    return {};
}

inline QString peersDir()
{
    const QString fromEnv = qEnvironmentVariable("RPCBENCH_PEERS_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(RPCBENCH_SOURCE_DIR "/.peers") : fromEnv;
}

// The entry script of an npm package installed under .peers (e.g.
// "@modelcontextprotocol/server-everything" -> ".../dist/index.js"); run it with node().
inline QString npmScript(const QString& package, const QString& relativePath)
{
    const QString path =
        peersDir() + QStringLiteral("/node_modules/") + package + QLatin1Char('/') + relativePath;
    return QFileInfo::exists(path) ? path : QString();
}

inline QString nodeModules()
{
    return peersDir() + QStringLiteral("/node_modules");
}

inline QString node()
{
    return executable(QStringLiteral("node"));
}

inline QByteArray skipMessage(const QString& what)
{
    return QStringLiteral("real peer '%1' is not installed (run tests/peers/install.sh)").arg(what).toUtf8();
}

// A TCP port that was free a moment ago on 127.0.0.1, for peers that cannot be told to use
// port 0 and report it. (The small race is accepted: only peers that need it use it.)
inline quint16 freeLoopbackPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace Peers
