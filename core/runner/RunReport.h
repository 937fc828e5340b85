#pragma once
// What a collection run found: one CallReport per saved call (in run order) with each assertion's
// verdict, and the totals the CLI prints ("12 passed, 1 failed") and JUnit/TAP files carry.
#include "collection/Assertion.h"
#include "collection/SavedCall.h"

#include <QList>
#include <QString>

namespace rpcbench {

struct AssertionReport
{
    QString description; // Assertion::describe()
    AssertionResult result;
};

struct CallReport
{
    QString path;   // "Arithmetic/add": folders and the call's name
    QString target; // the URL it went to, variables expanded
    SavedCall call; // as written (variables not expanded: secrets stay out of reports)
    CallOutcome outcome;
    QList<AssertionReport> assertions;
    // Why the call could not be checked at all: a variable not defined, a bad target URL, a
    // capture that found nothing, the target unreachable. Empty when it ran.
    QString problem;
    bool unreachable = false; // the target could not be reached (exit code 2)
    bool skipped = false;     // not run: --bail stopped the run before it
    qint64 durationUs = 0;

    bool passed() const;
    int failedAssertions() const;
};

struct RunReport
{
    QString collection;
    QList<CallReport> calls;
    qint64 durationUs = 0;
    bool stopped = false; // stop() or --bail ended it early

    int passedCount() const;
    int failedCount() const; // ran and failed (a problem or a failed assertion)
    int skippedCount() const;
    bool anyUnreachable() const;
    // 0 every call passed, 1 one failed, 2 a target could not be reached (`rpcbench test`).
    int exitCode() const;
    QString summaryLine() const; // "12 passed, 1 failed" (", 3 skipped")
};

} // namespace rpcbench
