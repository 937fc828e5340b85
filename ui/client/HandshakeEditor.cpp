#include "client/HandshakeEditor.h"

#include "client/InitSequence.h"
#include "util/JsonText.h"
#include "widgets/JsonHighlighter.h"
#include "widgets/Palette.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace rpcbench {

HandshakeEditor::HandshakeEditor(QWidget* parent)
    : QWidget(parent), m_edit(new QPlainTextEdit(this)), m_lsp(new QPushButton(tr("Load &LSP"), this)),
      m_mcp(new QPushButton(tr("Load &MCP"), this)), m_clear(new QPushButton(tr("No handshake"), this)),
      m_problem(new QLabel(this))
{
    m_edit->setObjectName(QStringLiteral("handshakeEdit"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(true);
    m_edit->setPlaceholderText(tr("[{\"method\": \"initialize\", \"params\": {...}},\n"
                                  " {\"method\": \"initialized\", \"notification\": true}]"));
    new JsonHighlighter(m_edit->document(), m_edit->palette().color(QPalette::Base).lightness() < 128);
    m_lsp->setObjectName(QStringLiteral("loadLspInitButton"));
    m_lsp->setToolTip(tr("initialize + initialized, as a language server expects"));
    m_mcp->setObjectName(QStringLiteral("loadMcpInitButton"));
    m_mcp->setToolTip(tr("initialize + notifications/initialized, as an MCP server expects"));
    m_clear->setObjectName(QStringLiteral("clearInitButton"));
    m_problem->setObjectName(QStringLiteral("handshakeProblem"));
    m_problem->setWordWrap(true);
    Palette::setErrorText(m_problem);
    m_problem->hide();
    auto* note =
        new QLabel(tr("Sent in order on every new connection (and every reconnect) before anything else; "
                      "each call is awaited. Later params may use \"{{init[0].result...}}\"."),
                   this);
    note->setWordWrap(true);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &HandshakeEditor::check);
    connect(m_lsp, &QPushButton::clicked, this, [this] { loadExample(QStringLiteral("lsp-init.json")); });
    connect(m_mcp, &QPushButton::clicked, this, [this] { loadExample(QStringLiteral("mcp-init.json")); });
    connect(m_clear, &QPushButton::clicked, m_edit, &QPlainTextEdit::clear);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_lsp);
    buttons->addWidget(m_mcp);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(m_edit, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_problem);
}

QList<QWidget*> HandshakeEditor::focusChain() const
{
    return {m_edit, m_lsp, m_mcp, m_clear};
}

void HandshakeEditor::setInit(const QJsonArray& init)
{
    m_edit->setPlainText(init.isEmpty() ? QString() : QString::fromUtf8(JsonText::serialize(init, true)));
}

std::optional<QJsonArray> HandshakeEditor::init(QString* error) const
{
    const QString text = m_edit->toPlainText().trimmed();
    if (text.isEmpty())
        return QJsonArray{};
    QString problem;
    const auto value = JsonText::parseValue(text, &problem);
    if (!value) {
        if (error)
            *error = tr("Handshake: %1").arg(problem);
        return std::nullopt;
    }
    const auto steps = InitSequence::fromJson(*value, &problem);
    if (!steps) {
        if (error)
            *error = tr("Handshake: %1").arg(problem);
        return std::nullopt;
    }
    // Kept as typed (templates and all); the client resolves them when it runs.
    return value->toArray();
}

void HandshakeEditor::check()
{
    QString error;
    const bool valid = init(&error).has_value();
    m_problem->setText(valid ? QString() : error);
    m_problem->setVisible(!valid);
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

QString HandshakeEditor::examplesFolder()
{
    const QDir bin(QCoreApplication::applicationDirPath());
    QStringList candidates{bin.filePath(QStringLiteral("../share/rpcbench/examples")),
                           bin.filePath(QStringLiteral("examples")),
                           bin.filePath(QStringLiteral("../resources/examples"))};
#ifdef RPCBENCH_DOCS_DIR
    // The source tree, when rpcbench runs from its build directory: beside docs/.
    candidates << QStringLiteral(RPCBENCH_DOCS_DIR "/../resources/examples");
#endif
    for (const QString& candidate : candidates)
        if (QDir(candidate).exists(QStringLiteral("lsp-init.json")))
            return QDir::cleanPath(QDir(candidate).absolutePath());
    return {};
}

bool HandshakeEditor::loadExample(const QString& fileName)
{
    const QString folder = examplesFolder();
    QString error;
    const auto steps =
        folder.isEmpty() ? std::nullopt : InitSequence::load(QDir(folder).filePath(fileName), &error);
    if (!steps) {
        m_problem->setText(folder.isEmpty()
                               ? tr("No examples folder with %1 was found next to rpcbench").arg(fileName)
                               : error);
        m_problem->show();
        return false;
    }
    QFile file(QDir(folder).filePath(fileName));
    // As written in the file (its layout is meant to be read), not re-serialised.
    if (file.open(QIODevice::ReadOnly))
        m_edit->setPlainText(QString::fromUtf8(file.readAll()).trimmed());
    m_edit->setFocus();
    return true;
}

} // namespace rpcbench
