#include "runner/RunReportWriter.h"

#include <QDateTime>
#include <QHostInfo>
#include <QStringList>
#include <QXmlStreamWriter>

namespace rpcbench::RunReportWriter {

QString text(const RunReport& report);

namespace {

QString seconds(qint64 us)
{
    return QString::number(double(us) / 1e6, 'f', 3);
}

QString milliseconds(qint64 us)
{
    return QString::number(double(us) / 1000.0, 'f', 1);
}

// The lines saying why a call failed: its problem, then each failed assertion.
QStringList failures(const CallReport& call)
{
    QStringList lines;
    if (!call.problem.isEmpty())
        lines << call.problem;
    for (const AssertionReport& a : call.assertions)
        if (!a.result.passed)
            lines << QStringLiteral("%1: expected %2, got %3")
                         .arg(a.description, a.result.expected, a.result.actual);
    return lines;
}

QString verdict(const CallReport& call)
{
    if (call.skipped)
        return QStringLiteral("SKIP");
    return call.passed() ? QStringLiteral("PASS") : QStringLiteral("FAIL");
}

// "Arithmetic/add" → class "collection.Arithmetic", name "add".
void caseNames(const QString& collection, const QString& path, QString* className, QString* name)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    *name = slash < 0 ? path : path.mid(slash + 1);
    *className = collection;
    if (slash >= 0)
        *className +=
            QLatin1Char('.') + QString(path.left(slash)).replace(QLatin1Char('/'), QLatin1Char('.'));
}

int errorCount(const RunReport& report)
{
    return int(std::count_if(report.calls.begin(), report.calls.end(),
                             [](const CallReport& c) { return !c.skipped && !c.problem.isEmpty(); }));
}

void writeCase(QXmlStreamWriter& xml, const QString& collection, const CallReport& call)
{
    QString className;
    QString name;
    caseNames(collection, call.path, &className, &name);
    xml.writeStartElement(QStringLiteral("testcase"));
    xml.writeAttribute(QStringLiteral("name"), name);
    xml.writeAttribute(QStringLiteral("classname"), className);
    xml.writeAttribute(QStringLiteral("time"), seconds(call.durationUs));
    if (call.skipped) {
        xml.writeEmptyElement(QStringLiteral("skipped"));
    } else if (!call.problem.isEmpty()) {
        xml.writeStartElement(QStringLiteral("error"));
        xml.writeAttribute(QStringLiteral("message"), call.problem);
        xml.writeAttribute(QStringLiteral("type"),
                           call.unreachable ? QStringLiteral("unreachable") : QStringLiteral("problem"));
        xml.writeCharacters(call.problem);
        xml.writeEndElement();
    } else if (!call.passed()) {
        const QStringList lines = failures(call);
        xml.writeStartElement(QStringLiteral("failure"));
        xml.writeAttribute(QStringLiteral("message"), lines.first());
        xml.writeAttribute(QStringLiteral("type"), QStringLiteral("assertion"));
        xml.writeCharacters(lines.join(QLatin1Char('\n')));
        xml.writeEndElement();
    }
    xml.writeEndElement();
}

} // namespace

QString text(const RunReport& report)
{
    QString out;
    for (const CallReport& call : report.calls) {
        out += QStringLiteral("%1  %2").arg(verdict(call), call.path);
        if (!call.skipped)
            out += QStringLiteral("  (%1 ms)").arg(milliseconds(call.durationUs));
        out += QLatin1Char('\n');
        if (!call.skipped)
            for (const QString& line : failures(call))
                out += QStringLiteral("      %1\n").arg(line);
    }
    if (report.stopped)
        out += QStringLiteral("stopped early\n");
    out += report.summaryLine() + QLatin1Char('\n');
    return out;
}

static void writeSuite(QXmlStreamWriter& xml, const RunReport& report, int id, const QString& hostname)
{
    xml.writeStartElement(QStringLiteral("testsuite"));
    xml.writeAttribute(QStringLiteral("name"), report.collection);
    xml.writeAttribute(QStringLiteral("package"), QStringLiteral("rpcbench"));
    xml.writeAttribute(QStringLiteral("id"), QString::number(id));
    xml.writeAttribute(QStringLiteral("tests"), QString::number(report.calls.size()));
    xml.writeAttribute(QStringLiteral("failures"),
                       QString::number(report.failedCount() - errorCount(report)));
    xml.writeAttribute(QStringLiteral("errors"), QString::number(errorCount(report)));
    xml.writeAttribute(QStringLiteral("skipped"), QString::number(report.skippedCount()));
    xml.writeAttribute(QStringLiteral("time"), seconds(report.durationUs));
    xml.writeAttribute(QStringLiteral("timestamp"),
                       QDateTime::currentDateTimeUtc().toString(Qt::ISODate).chopped(1));
    xml.writeAttribute(QStringLiteral("hostname"), hostname);
    xml.writeEmptyElement(QStringLiteral("properties"));
    for (const CallReport& call : report.calls)
        writeCase(xml, report.collection, call);
    xml.writeTextElement(QStringLiteral("system-out"), text(report));
    xml.writeEmptyElement(QStringLiteral("system-err"));
    xml.writeEndElement();
}

QByteArray junit(const QList<RunReport>& reports, const QString& hostname)
{
    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    int tests = 0;
    int failures = 0;
    int errors = 0;
    qint64 us = 0;
    for (const RunReport& r : reports) {
        tests += int(r.calls.size());
        failures += r.failedCount() - errorCount(r);
        errors += errorCount(r);
        us += r.durationUs;
    }
    xml.writeStartElement(QStringLiteral("testsuites"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("rpcbench"));
    xml.writeAttribute(QStringLiteral("tests"), QString::number(tests));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(failures));
    xml.writeAttribute(QStringLiteral("errors"), QString::number(errors));
    xml.writeAttribute(QStringLiteral("time"), seconds(us));
    const QString host = hostname.isEmpty() ? QHostInfo::localHostName() : hostname;
    for (qsizetype i = 0; i < reports.size(); ++i)
        writeSuite(xml, reports[i], int(i), host);
    xml.writeEndElement();
    xml.writeEndDocument();
    return bytes;
}

QString tap(const RunReport& report)
{
    QString out = QStringLiteral("TAP version 13\n1..%1\n").arg(report.calls.size());
    for (qsizetype i = 0; i < report.calls.size(); ++i) {
        const CallReport& call = report.calls[i];
        const bool ok = call.skipped || call.passed();
        out += QStringLiteral("%1 %2 - %3")
                   .arg(ok ? QStringLiteral("ok") : QStringLiteral("not ok"))
                   .arg(i + 1)
                   .arg(call.path);
        if (call.skipped)
            out += QStringLiteral(" # SKIP not run");
        out += QLatin1Char('\n');
        if (ok)
            continue;
        out += QStringLiteral("  ---\n  message: |\n");
        for (const QString& line : failures(call))
            out += QStringLiteral("    %1\n").arg(line);
        out += QStringLiteral("  ...\n");
    }
    return out;
}

} // namespace rpcbench::RunReportWriter
