#include "runner/RunReport.h"

#include <algorithm>

namespace rpcbench {

bool CallReport::passed() const
{
    return !skipped && problem.isEmpty() && failedAssertions() == 0;
}

int CallReport::failedAssertions() const
{
    return int(std::count_if(assertions.begin(), assertions.end(),
                             [](const AssertionReport& a) { return !a.result.passed; }));
}

int RunReport::passedCount() const
{
    return int(std::count_if(calls.begin(), calls.end(), [](const CallReport& c) { return c.passed(); }));
}

int RunReport::failedCount() const
{
    return int(std::count_if(calls.begin(), calls.end(),
                             [](const CallReport& c) { return !c.skipped && !c.passed(); }));
}

int RunReport::skippedCount() const
{
    return int(std::count_if(calls.begin(), calls.end(), [](const CallReport& c) { return c.skipped; }));
}

bool RunReport::anyUnreachable() const
{
    return std::any_of(calls.begin(), calls.end(), [](const CallReport& c) { return c.unreachable; });
}

int RunReport::exitCode() const
{
    if (anyUnreachable())
        return 2;
    return failedCount() > 0 ? 1 : 0;
}

QString RunReport::summaryLine() const
{
    QString line = QStringLiteral("%1 passed, %2 failed").arg(passedCount()).arg(failedCount());
    if (const int skipped = skippedCount())
        line += QStringLiteral(", %1 skipped").arg(skipped);
    return line;
}

} // namespace rpcbench
