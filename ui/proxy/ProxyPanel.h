#pragma once
// The "Proxies" dock: the proxies the window runs (several at once), each listening for the
// user's own client and forwarding to their server. Add…/Edit… open ProxyEditDialog, Start and
// Stop act on the selected proxy, Faults… picks a method (completed from the methods the log has
// seen) and opens the mock server's FaultDialog on that proxy's fault table. Errors and the
// proxies' notices go to the line under the table and to status(), never to a modal box.
#include <QPointer>
#include <QWidget>

class QAbstractItemModel;
class QInputDialog;
class QLabel;
class QPushButton;
class QTableView;

namespace rpcbench {

class FaultDialog;
class Proxy;
struct ProxyConfig;
class ProxyEditDialog;
class ProxyListModel;
class ProxySet;

class ProxyPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProxyPanel(ProxySet* proxies, QWidget* parent = nullptr);

    ProxyListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QString message() const; // the line under the table
    int currentRow() const;
    void selectRow(int row);
    // Where Faults… finds method names to offer: a model's column (the traffic log's Method).
    void setMethodSource(const QAbstractItemModel* model, int column);
    QStringList seenMethods() const;

    // The dialogs open now (window-modal, open()), or null.
    ProxyEditDialog* editDialog() const;
    QInputDialog* methodPicker() const;
    FaultDialog* faultDialog() const;

public slots:
    void addProxy();  // opens the edit dialog for a new proxy
    void editProxy(); // the selected one
    void removeProxy();
    bool startProxy(); // the selected one; false (and the error shown) when it cannot listen
    void stopProxy();
    void pickFaultMethod();                                  // Faults…: asks for the method
    FaultDialog* openFaults(int row, const QString& method); // then this
    void showMessage(const QString& text, bool error = false);

signals:
    void status(const QString& line); // for the status bar

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    QPushButton* button(const QString& name, const QString& text, void (ProxyPanel::*slot)());
    void openEditor(int row);
    void applyEdit(const Proxy* proxy, ProxyConfig config); // null proxy: a new one
    void updateButtons();

    ProxySet* m_proxies;
    ProxyListModel* m_model;
    QTableView* m_view;
    QLabel* m_message;
    QPushButton* m_edit = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_faults = nullptr;
    const QAbstractItemModel* m_methodSource = nullptr;
    int m_methodColumn = 0;
    QPointer<ProxyEditDialog> m_editDialog;
    QPointer<QInputDialog> m_methodPicker;
    QPointer<FaultDialog> m_faultDialog;
};

} // namespace rpcbench
