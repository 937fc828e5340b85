#pragma once
// The "Handshake" page of the connection settings: the calls and notifications sent on every
// new connection to the target before anything else (client/InitSequence's file format), as a
// JSON editor, with "Load LSP" / "Load MCP" filling in the examples shipped in
// resources/examples/. Checked with InitSequence::fromJson as it is typed; the problem is shown
// in one line and validityChanged() lets the dialog refuse OK.

#include <QJsonArray>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace rpcbench {

class HandshakeEditor : public QWidget
{
    Q_OBJECT
public:
    explicit HandshakeEditor(QWidget* parent = nullptr);

    void setInit(const QJsonArray& init);
    // The edited list (empty: no handshake); nullopt with *error naming the item and member.
    std::optional<QJsonArray> init(QString* error = nullptr) const;
    bool isValid() const { return init().has_value(); }

    // Where the example init files are: next to an installed rpcbench or in the source tree.
    static QString examplesFolder();
    // Fills the editor from an example file (lsp-init.json, mcp-init.json); false with the
    // problem shown when it cannot be read.
    bool loadExample(const QString& fileName);

    QPlainTextEdit* editor() const { return m_edit; }
    QLabel* problemLabel() const { return m_problem; }
    QList<QWidget*> focusChain() const;

signals:
    void validityChanged(bool valid);

private:
    void check();

    QPlainTextEdit* m_edit;
    QPushButton* m_lsp;
    QPushButton* m_mcp;
    QPushButton* m_clear;
    QLabel* m_problem;
    bool m_valid = true;
};

} // namespace rpcbench
