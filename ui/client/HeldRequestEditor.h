#pragma once
// The answer to one held server request, written by hand: the request as the server sent it,
// then either a result (JSON) or an error (code, message, optional data JSON); Send answers
// with it, Reject with error -32000 "rejected by the user". JSON that does not parse is refused
// with the parser's one-line reason and nothing is sent.

#include "protocol/RpcError.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace rpcbench {

class PayloadView;
struct HeldRequest;

class HeldRequestEditor : public QWidget
{
    Q_OBJECT
public:
    explicit HeldRequestEditor(QWidget* parent = nullptr);

    // The request to answer (nullptr: none selected). An ended one is shown read-only.
    void setRequest(const HeldRequest* request);
    quint64 holdId() const { return m_holdId; }

    // The answer the fields describe; nullopt with *error when a JSON field does not parse.
    std::optional<RpcResult> answer(QString* error) const;
    QString problem() const; // the refusal shown, empty when none

    QPlainTextEdit* resultEdit() const { return m_result; }
    QRadioButton* errorRadio() const { return m_errorRadio; }
    QSpinBox* codeSpin() const { return m_code; }
    QLineEdit* messageEdit() const { return m_message; }
    QPlainTextEdit* dataEdit() const { return m_data; }
    QPushButton* sendButton() const { return m_send; }
    QPushButton* rejectButton() const { return m_reject; }
    QList<QWidget*> focusChain() const;

public slots:
    bool send(); // false (and the problem shown) when the answer does not parse
    void reject();

signals:
    void answerRequested(quint64 holdId, const rpcbench::RpcResult& answer);
    void rejectRequested(quint64 holdId);

private:
    void updateMode();
    void showProblem(const QString& text);

    quint64 m_holdId = 0;
    PayloadView* m_request;
    QRadioButton* m_resultRadio;
    QRadioButton* m_errorRadio;
    QPlainTextEdit* m_result;
    QSpinBox* m_code;
    QLineEdit* m_message;
    QPlainTextEdit* m_data;
    QLabel* m_problem;
    QPushButton* m_send;
    QPushButton* m_reject;
    QWidget* m_resultBox;
    QWidget* m_errorBox;
};

} // namespace rpcbench
