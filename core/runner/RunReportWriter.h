#pragma once
// A run's report in the forms people read it: the terminal summary (`rpcbench test`), JUnit XML
// (what CI systems show as test results) and TAP. Values that came back are shown as they came;
// what was sent is never included (it may hold secrets from {{env.*}} variables).
#include "runner/RunReport.h"

#include <QByteArray>
#include <QString>

namespace rpcbench::RunReportWriter {

// One line per call ("PASS  Arithmetic/add  (3.1 ms)"), the failed assertions under it, then
// the summary line last ("12 passed, 1 failed").
QString text(const RunReport& report);
// JUnit XML as the common schema (Ant / windyroad JUnit.xsd) has it: <testsuites> with a
// <testsuite> per run (name, tests, failures, errors, skipped, time, timestamp, hostname, id, package,
// properties, system-out, system-err) and a <testcase> (name, classname, time) per call with
// <failure> for failed assertions, <error> for calls that could not run, <skipped/>.
QByteArray junit(const QList<RunReport>& reports, const QString& hostname = {});
// TAP version 13: "1..N", then "ok 1 - path" / "not ok 2 - path" with a YAML block of failures.
QString tap(const RunReport& report);

} // namespace rpcbench::RunReportWriter
