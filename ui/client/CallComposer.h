#pragma once
// Composes one call: method picker (from discovery, or a free name), the generated form and a
// raw JSON tab kept in sync both ways, by-position/by-name, notification, timeout, a batch
// queue, and "Copy as command". Whichever side was edited last (form or raw) is what is sent;
// while it holds an invalid value, Send is disabled and the problem is shown.

#include "client/CallTypes.h"
#include "wire/Endpoint.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QMouseEvent;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTabWidget;
class QToolButton;

namespace rpcbench {

class ParamForm;

class CallComposer : public QWidget
{
    Q_OBJECT
public:
    explicit CallComposer(QWidget* parent = nullptr);

    void setMethods(const QList<MethodInfo>& methods); // from discovery; empty = free names only
    QList<MethodInfo> methods() const { return m_methods; }
    // The target, for "Copy as command" (with its headers, auth and TLS options) and batch support.
    void setTarget(const Endpoint& endpoint, Dialect dialect);
    void setTarget(const QString& url, Dialect dialect); // an unparsable URL is copied as typed

    // Loads a call (history, "Call this"): the method and its params.
    void loadCall(const QString& method, const QJsonValue& params, bool notification = false);
    void selectMethod(const QString& name);
    // Replaces the batch queue with `requests` (a logged batch to send again); the composed call
    // is left as it is.
    void loadBatch(const QList<CallRequest>& requests);

    // The call as composed; nullopt when something is invalid (see errors()).
    std::optional<CallRequest> request() const;
    QStringList errors() const;
    int batchSize() const { return int(m_batch.size()); }

    ParamForm* form() const { return m_form; }
    QComboBox* methodCombo() const { return m_method; }
    QPlainTextEdit* rawEdit() const { return m_raw; }
    QPushButton* sendButton() const { return m_send; }

    // Secrets become shell variable references unless revealSecrets (CommandLineBuilder).
    QString rpcbenchCommand(bool revealSecrets = false) const;
    QString curlCommand(bool revealSecrets = false) const;

    // The keyboard order of the composer, reading order: method, Form/Raw tabs, the form's
    // fields, options, buttons left to right, the batch queue. Renewed when the form changes.
    QList<QWidget*> focusChain() const;

public slots:
    bool send(); // emits sendRequested when the call is valid
    // Takes the method field's text as the method: rebuilds the form for a known name, or
    // switches to raw params for an unknown one. Runs on Return, focus-out, a completer pick.
    void commitMethod();
    bool addToBatch();
    bool sendBatch();

signals:
    void sendRequested(const rpcbench::CallRequest& request);
    void sendBatchRequested(const QList<rpcbench::CallRequest>& requests);
    void focusChainChanged(); // the form was rebuilt: a container re-applies its order

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class Source { Form, Raw };

    QWidget* buildOptions();
    QWidget* buildBatchBox();
    void onMethodChanged(const QString& name);
    void onMethodTyped(const QString& name);
    bool replayClickOutsidePopup(QWidget* popup, QMouseEvent* event);
    void updateTabOrder();
    void onFormChanged();
    void onRawChanged();
    void onByNameToggled();
    void writeRawFromForm();
    std::optional<QJsonValue> currentParams(QStringList* errors) const;
    void revalidate();
    void appendToBatch(const CallRequest& request);
    void copyToClipboard(const QString& text);
    const MethodInfo* findMethod(const QString& name) const;

    QList<MethodInfo> m_methods;
    QList<CallRequest> m_batch;
    QString m_url;
    std::optional<Endpoint> m_endpoint; // m_url parsed, with the target's options
    Dialect m_dialect = Dialect::JsonRpc2;
    Source m_source = Source::Form;
    bool m_syncing = false;

    QComboBox* m_method;
    QTabWidget* m_tabs;
    ParamForm* m_form;
    QPlainTextEdit* m_raw;
    QRadioButton* m_byPosition;
    QRadioButton* m_byName;
    QCheckBox* m_notification;
    QSpinBox* m_timeout;
    QCheckBox* m_resetsOnProgress = nullptr;
    QLabel* m_validation;
    QPushButton* m_send;
    QPushButton* m_addToBatch;
    QToolButton* m_copy;
    QList<QAction*> m_copySecretActions; // shown while the target carries secrets
    QWidget* m_batchBox;
    QListWidget* m_batchList;
    QPushButton* m_sendBatch;
    QPushButton* m_clearBatch = nullptr;
};

} // namespace rpcbench
