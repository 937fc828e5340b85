// Translations are wired end to end: the build extracts every tr() string of the UI into the
// English .ts (nothing missed, nothing stale), lrelease compiles it, and a translation loaded
// at start-up reaches the window's menus and docks. The pseudo-translation here wraps every
// string in brackets, so a menu or dock title that bypasses tr() shows up unbracketed.

#include "window/MainWindow.h"
#include "window/Settings.h"

#include <QAction>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>
#include <QtTest>

using namespace rpcbench;

namespace {

struct TsContents
{
    QSet<QString> contexts;
    QSet<QString> sources;
    int messages = 0;
};

TsContents readTs(const QString& path)
{
    TsContents ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ts;
    QXmlStreamReader xml(&file);
    while (xml.readNextStartElement() || !xml.atEnd()) {
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name"))
            ts.contexts.insert(xml.readElementText());
        else if (xml.name() == QLatin1String("source")) {
            ts.sources.insert(xml.readElementText());
            ++ts.messages;
        }
    }
    return ts;
}

// The .ts with every translation set to "[source]" (numerus forms included).
QByteArray pseudoTranslate(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QXmlStreamReader in(&file);
    QByteArray out;
    QXmlStreamWriter writer(&out);
    QString source;
    bool numerus = false;
    while (!in.atEnd()) {
        in.readNext();
        if (in.isStartElement() && in.name() == QLatin1String("message"))
            numerus = in.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        if (in.isStartElement() && in.name() == QLatin1String("source")) {
            writer.writeCurrentToken(in);
            source = in.readElementText();
            writer.writeCharacters(source);
            writer.writeEndElement();
            continue;
        }
        if (in.isStartElement() && in.name() == QLatin1String("translation")) {
            in.skipCurrentElement();
            writer.writeStartElement(QStringLiteral("translation"));
            const QString text = QLatin1Char('[') + source + QLatin1Char(']');
            if (numerus) {
                writer.writeTextElement(QStringLiteral("numerusform"), text);
                writer.writeTextElement(QStringLiteral("numerusform"), text);
            } else {
                writer.writeCharacters(text);
            }
            writer.writeEndElement();
            continue;
        }
        writer.writeCurrentToken(in);
    }
    return in.hasError() ? QByteArray() : out;
}

// The literal strings passed to tr() in one source file (ordinary string literals in this file:
// moc misreads raw ones) (simple literals only: the ones
// with escapes or concatenation are skipped, lupdate handles them anyway).
QStringList trLiterals(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression pattern(QStringLiteral("\\btr\\(\\s*\"([^\"\\\\]*)\"\\s*[,)]"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured(1);
    return found;
}

QStringList uiSources()
{
    QStringList files;
    QDirIterator it(QStringLiteral(RPCBENCH_SOURCE_DIR "/ui"),
                    {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void templateHasEveryTrString();
    void templateHasTheWindowsClasses();
    void noUserVisibleLiteralBypassesTr_data();
    void noUserVisibleLiteralBypassesTr();
    void compiledTranslationLoads();
    void translationReachesTheWindow();

private:
    TsContents m_ts;
    QTemporaryDir m_dir;
};

void TestTranslations::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(RPCBENCH_TS_FILE)), RPCBENCH_TS_FILE " was not generated");
    m_ts = readTs(QStringLiteral(RPCBENCH_TS_FILE));
    QVERIFY(m_dir.isValid());
}

void TestTranslations::templateHasEveryTrString()
{
    int checked = 0;
    QStringList missing;
    for (const QString& file : uiSources()) {
        for (const QString& literal : trLiterals(file)) {
            ++checked;
            if (!m_ts.sources.contains(literal))
                missing << QDir(QStringLiteral(RPCBENCH_SOURCE_DIR)).relativeFilePath(file) +
                               QStringLiteral(": ") + literal;
        }
    }
    QVERIFY2(checked > 300, qPrintable(QStringLiteral("only %1 tr() literals found").arg(checked)));
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
    QVERIFY(m_ts.messages >= checked / 2); // duplicates share one message
}

void TestTranslations::templateHasTheWindowsClasses()
{
    for (const char* context : {"rpcbench::MainWindow", "rpcbench::ClientPanel", "rpcbench::ServerPanel",
                                "rpcbench::LogPanel", "rpcbench::CollectionsPanel", "rpcbench::ProxyPanel"})
        QVERIFY2(m_ts.contexts.contains(QLatin1String(context)), context);
}

void TestTranslations::noUserVisibleLiteralBypassesTr_data()
{
    QTest::addColumn<QString>("file");
    for (const QString& file : uiSources())
        QTest::newRow(qPrintable(QDir(QStringLiteral(RPCBENCH_SOURCE_DIR)).relativeFilePath(file))) << file;
}

// A setter or constructor that shows text to the user, given a literal sentence (a capital
// then a word and a space) instead of tr(): the string would never be translated.
void TestTranslations::noUserVisibleLiteralBypassesTr()
{
    QFETCH(QString, file);
    QFile source(file);
    QVERIFY(source.open(QIODevice::ReadOnly));
    static const QRegularExpression visible(QStringLiteral(
        "\\b(setText|setToolTip|setWindowTitle|setPlaceholderText|addAction|setStatusTip|addTab|setTitle|"
        "showMessage|addItem|setLabelText|QLabel|QPushButton|QCheckBox|QGroupBox|QRadioButton|QAction"
        ")\\(\\s*(QStringLiteral\\(|QString::fromLatin1\\(|QLatin1String\\(|u)?\"[A-Z][a-z]+[ .]+[A-Za-z]"));
    QStringList found;
    int line = 0;
    while (!source.atEnd()) {
        ++line;
        const QString text = QString::fromUtf8(source.readLine());
        if (visible.match(text).hasMatch())
            found << QStringLiteral("line %1: %2").arg(line).arg(text.trimmed());
    }
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
}

void TestTranslations::compiledTranslationLoads()
{
    QTranslator translator;
    QVERIFY2(translator.load(QStringLiteral(RPCBENCH_QM_FILE)), RPCBENCH_QM_FILE);
    QCOMPARE(translator.language(), QStringLiteral("en"));
}

void TestTranslations::translationReachesTheWindow()
{
    const QByteArray pseudo = pseudoTranslate(QStringLiteral(RPCBENCH_TS_FILE));
    QVERIFY(!pseudo.isEmpty());
    const QString ts = m_dir.filePath(QStringLiteral("rpcbench_xx.ts"));
    const QString qm = m_dir.filePath(QStringLiteral("rpcbench_xx.qm"));
    QFile out(ts);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(pseudo);
    out.close();
    QProcess lrelease;
    lrelease.start(QStringLiteral(RPCBENCH_LRELEASE),
                   {QStringLiteral("-silent"), ts, QStringLiteral("-qm"), qm});
    QVERIFY(lrelease.waitForFinished(60000));
    QCOMPARE(lrelease.exitCode(), 0);

    QTranslator translator;
    QVERIFY(translator.load(qm));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    MainWindow window(std::make_unique<Settings>(m_dir.filePath(QStringLiteral("settings.ini"))));
    QStringList untranslated;
    int checked = 0;
    auto check = [&](const QString& what, const QString& text) {
        if (text.isEmpty())
            return;
        ++checked;
        if (!text.startsWith(QLatin1Char('[')) || !text.endsWith(QLatin1Char(']')))
            untranslated << what + QStringLiteral(": ") + text;
    };
    for (QAction* menu : window.menuBar()->actions()) {
        check(QStringLiteral("menu"), menu->text());
        if (menu->menu()) {
            for (QAction* action : menu->menu()->actions()) {
                if (!action->isSeparator() && !action->menu())
                    check(QStringLiteral("action"), action->text());
            }
        }
    }
    for (QDockWidget* dock : window.findChildren<QDockWidget*>())
        check(QStringLiteral("dock"), dock->windowTitle());
    QCoreApplication::removeTranslator(&translator);
    QVERIFY2(checked > 30, qPrintable(QString::number(checked)));
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
