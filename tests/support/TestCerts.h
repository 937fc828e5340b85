#pragma once
// Test helper: a throw-away PKI made at test time with the openssl command line, in a
// temporary directory that dies with the object (no key file is ever committed):
// - a CA ("rpcbench test CA");
// - a server certificate signed by it for 127.0.0.1 and localhost;
// - one signed by it for wrong.example only (host name mismatch on 127.0.0.1);
// - one signed by it that expired yesterday (`x509 -req -days -1`, OpenSSL 3.0);
// - a self-signed one for 127.0.0.1 and localhost;
// - a client certificate signed by the CA.
// ok() is false (with error()) when openssl is missing or fails; tests then QSKIP or QFAIL.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTemporaryDir>

class TestCerts
{
public:
    TestCerts()
    {
        if (!m_dir.isValid()) {
            m_error = QStringLiteral("cannot create a temporary directory");
            return;
        }
        m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (m_openssl.isEmpty()) {
            m_error = QStringLiteral("openssl is not installed");
            return;
        }
        m_ok = makeCa() &&
               makeSigned(QStringLiteral("server"), QStringLiteral("127.0.0.1"), kLoopbackNames) &&
               makeSigned(QStringLiteral("wronghost"), QStringLiteral("wrong.example"),
                          QStringLiteral("subjectAltName=DNS:wrong.example")) &&
               makeSigned(QStringLiteral("expired"), QStringLiteral("127.0.0.1"), kLoopbackNames, -1) &&
               makeSigned(QStringLiteral("client"), QStringLiteral("rpcbench test client"),
                          QStringLiteral("extendedKeyUsage=clientAuth")) &&
               makeSelfSigned();
    }

    bool ok() const { return m_ok; }
    QString error() const { return m_error; }
    QString dir() const { return m_dir.path(); }

    QString caCert() const { return file(QStringLiteral("ca.pem")); }
    QString caKey() const { return file(QStringLiteral("ca.key")); }
    QString serverCert() const { return file(QStringLiteral("server.pem")); }
    QString serverKey() const { return file(QStringLiteral("server.key")); }
    QString wrongHostCert() const { return file(QStringLiteral("wronghost.pem")); }
    QString wrongHostKey() const { return file(QStringLiteral("wronghost.key")); }
    QString expiredCert() const { return file(QStringLiteral("expired.pem")); }
    QString expiredKey() const { return file(QStringLiteral("expired.key")); }
    QString selfSignedCert() const { return file(QStringLiteral("selfsigned.pem")); }
    QString selfSignedKey() const { return file(QStringLiteral("selfsigned.key")); }
    QString clientCert() const { return file(QStringLiteral("client.pem")); }
    QString clientKey() const { return file(QStringLiteral("client.key")); }

    // Writes `text` to a new file in the directory (bad PEM files for error tests).
    QString writeFile(const QString& name, const QByteArray& text) const
    {
        QFile f(file(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return f.fileName();
    }

private:
    static inline const QString kLoopbackNames = QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost");

    QString file(const QString& name) const { return m_dir.filePath(name); }

    bool run(const QStringList& args)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(m_openssl, args);
        if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            m_error = QStringLiteral("openssl %1 failed: %2")
                          .arg(args.join(u' '), QString::fromLocal8Bit(p.readAll()).trimmed());
            return false;
        }
        return true;
    }

    bool makeCa()
    {
        return run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                    "-days", "30", "-subj", "/CN=rpcbench test CA"});
    }

    // A key and a certificate for `cn` signed by the CA, with the extension line `ext`.
    bool makeSigned(const QString& name, const QString& cn, const QString& ext, int days = 30)
    {
        const QString extFile = name + QStringLiteral(".ext");
        QFile f(file(extFile));
        if (!f.open(QIODevice::WriteOnly)) {
            m_error = QStringLiteral("cannot write %1").arg(f.fileName());
            return false;
        }
        f.write(ext.toUtf8() + "\nbasicConstraints=CA:FALSE\n");
        f.close();
        return run({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                    "-subj", "/CN=" + cn}) &&
               run({"x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", QString::number(days), "-extfile", extFile, "-out",
                    name + ".pem"});
    }

    bool makeSelfSigned()
    {
        return run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "selfsigned.key", "-out",
                    "selfsigned.pem", "-days", "30", "-subj", "/CN=127.0.0.1", "-addext", kLoopbackNames});
    }

    QTemporaryDir m_dir;
    QString m_openssl;
    QString m_error;
    bool m_ok = false;
};
