// The command-line documentation cannot drift from the binary: every option that
// `rpcbench COMMAND --help` prints (and the top-level --help's) must be in the man page generated
// at build time (in that command's section) and in each shell completion file; the bash
// completion really offers each command's options, and completes `call`'s METHOD with the
// methods of the server given by --url.

#include "ServeProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#ifndef RPCBENCH_MANPAGE
#error "RPCBENCH_MANPAGE (the generated rpcbench.1) is set by the top-level CMakeLists.txt"
#endif
#ifndef RPCBENCH_PROJECT_VERSION
#error "RPCBENCH_PROJECT_VERSION (project(VERSION)) is set by the top-level CMakeLists.txt"
#endif

namespace {

const QString kBin = QStringLiteral(RPCBENCH_BIN);
const QString kCompletions = QStringLiteral(RPCBENCH_SOURCE_DIR "/resources/completions/");

// Runs a program to completion; its stdout (empty with a failure message when it failed).
QString run(const QString& program, const QStringList& args, QString* failure)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *failure = QStringLiteral("%1 %2 failed: %3")
                       .arg(program, args.join(u' '), QString::fromUtf8(p.readAllStandardError()));
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

QString readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// "-H, --header <header>" -> {"-H", "--header"}; "--settings FILE" -> {"--settings"}.
QStringList optionsIn(const QString& help)
{
    QStringList out;
    static const QRegularExpression line(QStringLiteral("^  (-[^ ].*?)(?:  |$)"),
                                         QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(help); it.hasNext();) {
        for (const QString& part : it.next().captured(1).split(QStringLiteral(", "))) {
            const QString name = part.section(u' ', 0, 0);
            if (name.startsWith(u'-'))
                out << name;
        }
    }
    return out;
}

// The command names under "Commands:" in `rpcbench --help`.
QStringList commandsIn(const QString& help)
{
    QStringList out;
    const QString list = help.section(QStringLiteral("Commands:\n"), 1).section(QStringLiteral("\n\n"), 0, 0);
    for (const QString& line : list.split(u'\n', Qt::SkipEmptyParts))
        out << line.trimmed().section(u' ', 0, 0);
    return out;
}

bool hasWord(const QString& text, const QString& word)
{
    const QRegularExpression re(
        QStringLiteral("(^|[^\\w-])%1($|[^\\w-])").arg(QRegularExpression::escape(word)));
    return re.match(text).hasMatch();
}

// How each completion file spells an option: bash and zsh as typed, fish as `-l name`/`-s X`.
bool completionHas(const QString& file, const QString& text, const QString& option)
{
    if (!file.endsWith(QLatin1String(".fish")))
        return hasWord(text, option);
    const bool isLong = option.startsWith(QLatin1String("--"));
    return hasWord(text,
                   (isLong ? QStringLiteral("-l ") : QStringLiteral("-s ")) + option.mid(isLong ? 2 : 1));
}

// What the bash completion offers for the command line `words` (the last word is completed),
// with bash-completion's helpers stubbed so the test does not need that package.
QStringList bashComplete(const QStringList& words, QString* failure)
{
    QString script = QStringLiteral(
        "_init_completion() { words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD; cur=${words[cword]}; "
        "prev=${words[cword-1]}; }\n"
        "_filedir() { :; }; __ltrim_colon_completions() { :; }; compopt() { :; }\n"
        "source \"$1\"; shift\n"
        "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _rpcbench; printf '%s\\n' \"${COMPREPLY[@]}\"\n");
    const QString out = run(QStringLiteral("bash"),
                            QStringList{QStringLiteral("-c"), script, QStringLiteral("bash"),
                                        kCompletions + QStringLiteral("rpcbench.bash")} +
                                words,
                            failure);
    return out.split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

class TestCliDocs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void versionIsTheProjectsWithoutADisplay_data();
    void versionIsTheProjectsWithoutADisplay();
    void manPageHasEveryOption_data();
    void manPageHasEveryOption();
    void completionsHaveEveryOption_data();
    void completionsHaveEveryOption();
    void bashOffersEachCommandsOptions_data();
    void bashOffersEachCommandsOptions();
    void bashCompletesCommandsAndSchemes();
    void bashCompletesTheTargetsMethods();

private:
    void addCommandRows();

    QString m_topHelp;
    QStringList m_commands;
    QHash<QString, QStringList> m_options; // command ("" = top level) -> its options
    QString m_manPage;
};

void TestCliDocs::initTestCase()
{
    QString failure;
    m_topHelp = run(kBin, {QStringLiteral("--help")}, &failure);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    m_commands = commandsIn(m_topHelp);
    QVERIFY2(m_commands.size() >= 2, qPrintable(m_topHelp));
    m_options.insert(QString(), optionsIn(m_topHelp));
    for (const QString& command : std::as_const(m_commands)) {
        if (command == QLatin1String("help"))
            continue;
        const QString help = run(kBin, {command, QStringLiteral("--help")}, &failure);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        m_options.insert(command, optionsIn(help));
        QVERIFY2(m_options.value(command).contains(QLatin1String("--help")), qPrintable(help));
        // The usage line names the command as typed, not the path that started the binary.
        QVERIFY2(help.startsWith(QStringLiteral("Usage: rpcbench %1 ").arg(command)),
                 qPrintable(help.section(u'\n', 0, 0)));
    }
    m_manPage = readFile(QStringLiteral(RPCBENCH_MANPAGE));
    QVERIFY2(!m_manPage.isEmpty(), "the man page was not generated: build the rpcbench_manpage target");
    // roff's minus signs and font changes (\fB...\fR) between the option and its neighbours.
    m_manPage.replace(QLatin1String("\\-"), QLatin1String("-"));
    m_manPage.remove(QRegularExpression(QStringLiteral("\\\\f[BIRP]")));
}

void TestCliDocs::versionIsTheProjectsWithoutADisplay_data()
{
    QTest::addColumn<QString>("option");
    QTest::newRow("--version") << QStringLiteral("--version");
    QTest::newRow("-V") << QStringLiteral("-V");
}

void TestCliDocs::versionIsTheProjectsWithoutADisplay()
{
    QFETCH(QString, option);
    // A GUI start would abort here: no display and the xcb platform.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    p.setProcessEnvironment(env);
    p.start(kBin, {option});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    // "rpcbench 0.1.0 (abc1234)" from a checkout (-dirty with local changes), "rpcbench 0.1.0" without.
    const QRegularExpression line(
        QStringLiteral("^rpcbench %1( \\([0-9a-f]{7,}(-dirty)?\\))?\n$")
            .arg(QRegularExpression::escape(QStringLiteral(RPCBENCH_PROJECT_VERSION))));
    QVERIFY2(line.match(out).hasMatch(), qPrintable(out));
    QVERIFY2(m_manPage.contains(out.trimmed()), "the man page's header names another version");
}

void TestCliDocs::addCommandRows()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("(none)") << QString();
    for (auto it = m_options.cbegin(); it != m_options.cend(); ++it)
        if (!it.key().isEmpty())
            QTest::newRow(qPrintable(it.key())) << it.key();
}

void TestCliDocs::manPageHasEveryOption_data()
{
    addCommandRows();
}

void TestCliDocs::manPageHasEveryOption()
{
    QFETCH(QString, command);
    // The command's own subsection (.SS "rpcbench CMD") or, at the top level, OPTIONS.
    const QString start = command.isEmpty() ? QStringLiteral("\n.SH OPTIONS\n")
                                            : QStringLiteral("\n.SS \"rpcbench %1\"\n").arg(command);
    const qsizetype from = m_manPage.indexOf(start);
    QVERIFY2(from >= 0, qPrintable(QStringLiteral("no section %1 in the man page").arg(start.trimmed())));
    static const QRegularExpression next(QStringLiteral("\n\\.S[HS] "));
    const qsizetype to = m_manPage.indexOf(next, from + start.size());
    const QString section = m_manPage.mid(from, to < 0 ? -1 : to - from);
    for (const QString& option : m_options.value(command))
        QVERIFY2(hasWord(section, option),
                 qPrintable(option + QStringLiteral(" is not in ") + start.trimmed()));
}

void TestCliDocs::completionsHaveEveryOption_data()
{
    QTest::addColumn<QString>("file");
    for (const char* file : {"rpcbench.bash", "_rpcbench", "rpcbench.fish"})
        QTest::newRow(file) << QString::fromLatin1(file);
}

void TestCliDocs::completionsHaveEveryOption()
{
    QFETCH(QString, file);
    const QString text = readFile(kCompletions + file);
    QVERIFY2(!text.isEmpty(), qPrintable(kCompletions + file));
    for (auto it = m_options.cbegin(); it != m_options.cend(); ++it) {
        for (const QString& option : it.value())
            QVERIFY2(completionHas(file, text, option),
                     qPrintable(QStringLiteral("%1 of '%2' is not in %3").arg(option, it.key(), file)));
    }
    for (const QString& command : std::as_const(m_commands))
        QVERIFY2(hasWord(text, command), qPrintable(command + QStringLiteral(" is not in ") + file));
}

void TestCliDocs::bashOffersEachCommandsOptions_data()
{
    addCommandRows();
}

void TestCliDocs::bashOffersEachCommandsOptions()
{
    QFETCH(QString, command);
    QString failure;
    QStringList words{QStringLiteral("rpcbench")};
    if (!command.isEmpty())
        words << command;
    const QStringList offered = bashComplete(words << QStringLiteral("-"), &failure);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    for (const QString& option : m_options.value(command))
        QVERIFY2(offered.contains(option),
                 qPrintable(option + QStringLiteral(" not offered: ") + offered.join(u' ')));
    // Nothing that the command does not take.
    for (const QString& option : offered)
        QVERIFY2(m_options.value(command).contains(option),
                 qPrintable(option + QStringLiteral(" offered but unknown")));
}

void TestCliDocs::bashCompletesCommandsAndSchemes()
{
    QString failure;
    QStringList offered = bashComplete({QStringLiteral("rpcbench"), QString()}, &failure);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    for (const QString& command : std::as_const(m_commands))
        QVERIFY2(offered.contains(command), qPrintable(command));
    offered = bashComplete(
        {QStringLiteral("rpcbench"), QStringLiteral("call"), QStringLiteral("--url"), QStringLiteral("ws")},
        &failure);
    QCOMPARE(offered, (QStringList{QStringLiteral("ws://"), QStringLiteral("wss://")}));
}

void TestCliDocs::bashCompletesTheTargetsMethods()
{
    ServeProcess server;
    QVERIFY(server.start());
    const QString url = QStringLiteral("tcp://127.0.0.1:%1").arg(server.port());
    QString failure;
    // The names as `methods --json` lists them: the completion reads `methods --names`.
    const QJsonArray listed =
        QJsonDocument::fromJson(
            run(kBin, {QStringLiteral("methods"), QStringLiteral("--url"), url, QStringLiteral("--json")},
                &failure)
                .toUtf8())
            .array();
    QVERIFY2(!listed.isEmpty(), qPrintable(failure));
    QStringList expected;
    for (const QJsonValue& m : listed)
        expected << m.toObject().value(u"name").toString();
    expected.sort();
    QStringList offered =
        bashComplete({kBin, QStringLiteral("call"), QStringLiteral("--url"), url, QString()}, &failure);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    offered.sort();
    QCOMPARE(offered, expected);
    // Only METHOD completes from the server, not the ARGs after it.
    offered = bashComplete(
        {kBin, QStringLiteral("call"), QStringLiteral("--url"), url, expected.first(), QString()}, &failure);
    QVERIFY2(offered.isEmpty(), qPrintable(offered.join(u' ')));
}

QTEST_GUILESS_MAIN(TestCliDocs)
#include "tst_clidocs.moc"
