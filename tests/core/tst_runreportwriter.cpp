// Run reports as text, JUnit XML (checked against the JUnit schema's required parts) and TAP.
#include "runner/RunReportWriter.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace rpcbench;

namespace {

CallReport call(const QString& path, const QString& problem = {}, bool assertionPassed = true,
                bool skipped = false)
{
    CallReport c;
    c.path = path;
    c.problem = problem;
    c.skipped = skipped;
    c.durationUs = 1500;
    c.assertions << AssertionReport{
        QStringLiteral("result equals 3"),
        AssertionResult{assertionPassed, QStringLiteral("3"), QStringLiteral("4")}};
    return c;
}

RunReport sample()
{
    RunReport r;
    r.collection = QStringLiteral("Demo <&>");
    r.durationUs = 12'000;
    r.calls << call(QStringLiteral("Arithmetic/add"))
            << call(QStringLiteral("Arithmetic/Deep/sub"), {}, false)
            << call(QStringLiteral("login"), QStringLiteral("cannot reach tcp://x: connection refused"))
            << call(QStringLiteral("later"), {}, true, true);
    r.calls[2].unreachable = true;
    return r;
}

// A parsed element: enough of a DOM for the checks (Qt Core only, no Qt Xml).
struct Element
{
    QString tag;
    QXmlStreamAttributes attributes;
    QList<Element> children;
    QString attribute(const QString& name) const { return attributes.value(name).toString(); }
    QList<const Element*> all(const QString& name) const
    {
        QList<const Element*> out;
        for (const Element& c : children)
            if (c.tag == name)
                out << &c;
        return out;
    }
};

Element readElement(QXmlStreamReader& xml)
{
    Element e{xml.name().toString(), xml.attributes(), {}};
    while (xml.readNextStartElement())
        e.children << readElement(xml);
    return e;
}

// The attributes an element must carry.
void requireAttributes(const Element& e, const QStringList& names)
{
    for (const QString& name : names)
        QVERIFY2(e.attributes.hasAttribute(name),
                 qPrintable(QStringLiteral("<%1> lacks %2").arg(e.tag, name)));
}

} // namespace

class TestRunReportWriter : public QObject
{
    Q_OBJECT
private slots:
    void countsAndExitCodes()
    {
        RunReport r = sample();
        QCOMPARE(r.passedCount(), 1);
        QCOMPARE(r.failedCount(), 2);
        QCOMPARE(r.skippedCount(), 1);
        QCOMPARE(r.exitCode(), 2);
        r.calls[2].unreachable = false;
        QCOMPARE(r.exitCode(), 1);
        r.calls.remove(1, 2);
        QCOMPARE(r.exitCode(), 0);
        QCOMPARE(r.summaryLine(), QStringLiteral("1 passed, 0 failed, 1 skipped"));
    }

    void textEndsWithTheSummary()
    {
        const QString text = RunReportWriter::text(sample());
        const QStringList lines = text.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.last(), QStringLiteral("1 passed, 2 failed, 1 skipped"));
        QVERIFY(lines.contains(QStringLiteral("PASS  Arithmetic/add  (1.5 ms)")));
        QVERIFY(lines.contains(QStringLiteral("FAIL  Arithmetic/Deep/sub  (1.5 ms)")));
        QVERIFY(lines.contains(QStringLiteral("      result equals 3: expected 3, got 4")));
        QVERIFY(lines.contains(QStringLiteral("      cannot reach tcp://x: connection refused")));
        QVERIFY(lines.contains(QStringLiteral("SKIP  later")));
    }

    void junitHasWhatTheSchemaRequires()
    {
        const QByteArray xml = RunReportWriter::junit({sample(), sample()}, QStringLiteral("ci-host"));
        QXmlStreamReader reader(xml);
        QVERIFY(reader.readNextStartElement());
        const Element suites = readElement(reader);
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(suites.tag, QStringLiteral("testsuites"));
        QCOMPARE(suites.attribute(QStringLiteral("tests")), QStringLiteral("8"));
        QCOMPARE(suites.attribute(QStringLiteral("failures")), QStringLiteral("2"));
        QCOMPARE(suites.attribute(QStringLiteral("errors")), QStringLiteral("2"));
        const auto suiteList = suites.all(QStringLiteral("testsuite"));
        QCOMPARE(suiteList.size(), 2);
        const Element& suite = *suiteList.at(0);
        requireAttributes(
            suite, {"name", "tests", "failures", "errors", "time", "timestamp", "hostname", "id", "package"});
        QCOMPARE(suite.attribute(QStringLiteral("name")), QStringLiteral("Demo <&>"));
        QCOMPARE(suite.attribute(QStringLiteral("hostname")), QStringLiteral("ci-host"));
        QCOMPARE(suite.attribute(QStringLiteral("skipped")), QStringLiteral("1"));
        QVERIFY(!QDateTime::fromString(suite.attribute(QStringLiteral("timestamp")), Qt::ISODate).isNull());
        // The schema's sequence: properties, testcase*, system-out, system-err.
        QStringList children;
        for (const Element& e : suite.children)
            children << e.tag;
        QCOMPARE(children, (QStringList{"properties", "testcase", "testcase", "testcase", "testcase",
                                        "system-out", "system-err"}));
        const auto cases = suite.all(QStringLiteral("testcase"));
        for (const Element* c : cases)
            requireAttributes(*c, {"name", "classname", "time"});
        QCOMPARE(cases.at(1)->attribute(QStringLiteral("classname")),
                 QStringLiteral("Demo <&>.Arithmetic.Deep"));
        QCOMPARE(cases.at(1)->attribute(QStringLiteral("name")), QStringLiteral("sub"));
        const auto failure = cases.at(1)->all(QStringLiteral("failure"));
        QCOMPARE(failure.size(), 1);
        QCOMPARE(failure.first()->attribute(QStringLiteral("message")),
                 QStringLiteral("result equals 3: expected 3, got 4"));
        const auto err = cases.at(2)->all(QStringLiteral("error"));
        QCOMPARE(err.size(), 1);
        QCOMPARE(err.first()->attribute(QStringLiteral("type")), QStringLiteral("unreachable"));
        QCOMPARE(cases.at(3)->all(QStringLiteral("skipped")).size(), 1);
        QVERIFY(cases.at(0)->children.isEmpty()); // passed: nothing inside
    }

    void tapIsVersion13()
    {
        const QStringList lines = RunReportWriter::tap(sample()).split(QLatin1Char('\n'));
        QCOMPARE(lines.at(0), QStringLiteral("TAP version 13"));
        QCOMPARE(lines.at(1), QStringLiteral("1..4"));
        QVERIFY(lines.contains(QStringLiteral("ok 1 - Arithmetic/add")));
        QVERIFY(lines.contains(QStringLiteral("not ok 2 - Arithmetic/Deep/sub")));
        QVERIFY(lines.contains(QStringLiteral("not ok 3 - login")));
        QVERIFY(lines.contains(QStringLiteral("ok 4 - later # SKIP not run")));
        QVERIFY(lines.contains(QStringLiteral("    result equals 3: expected 3, got 4")));
    }
};

QTEST_GUILESS_MAIN(TestRunReportWriter)
#include "tst_runreportwriter.moc"
