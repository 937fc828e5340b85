#pragma once
// Template part of MethodRegistry: turns a typed C++ callable into a MethodInfo plus a
// handler that converts bound JSON arguments to the callable's parameter types.
// Included at the end of MethodRegistry.h; do not include directly.

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <exception>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

namespace rpcbench {
namespace detail {

// ---- Function traits: the parameter list and result type of any callable. ----
template <class R, class... P> struct Signature
{
    using Result = R;
    using Params = std::tuple<P...>;
    static constexpr std::size_t arity = sizeof...(P);
};

template <class F> struct FunctionTraits : FunctionTraits<decltype(&F::operator())>
{
};
template <class R, class... P> struct FunctionTraits<R (*)(P...)> : Signature<R, P...>
{
};
template <class R, class... P> struct FunctionTraits<R (*)(P...) noexcept> : Signature<R, P...>
{
};
template <class C, class R, class... P> struct FunctionTraits<R (C::*)(P...)> : Signature<R, P...>
{
};
template <class C, class R, class... P> struct FunctionTraits<R (C::*)(P...) const> : Signature<R, P...>
{
};
template <class C, class R, class... P> struct FunctionTraits<R (C::*)(P...) noexcept> : Signature<R, P...>
{
};
template <class C, class R, class... P>
struct FunctionTraits<R (C::*)(P...) const noexcept> : Signature<R, P...>
{
};

template <class T> inline constexpr bool alwaysFalse = false;

[[noreturn]] void throwOutOfRange(const QString& name, const char* cppType);

// ---- JSON <-> C++ conversions. The binder has already checked the JSON type. ----
template <class T> struct Json
{
    static_assert(alwaysFalse<T>,
                  "unsupported parameter/result type: use qint64, int, double, QString, bool, "
                  "QJsonArray, QJsonObject or QJsonValue");
};
template <> struct Json<qint64>
{
    static constexpr ParamType type = ParamType::Integer;
    static qint64 from(const QJsonValue& v, const QString&) { return v.toInteger(); }
    static QJsonValue to(qint64 v) { return QJsonValue(v); }
};
template <> struct Json<int>
{
    static constexpr ParamType type = ParamType::Integer;
    static int from(const QJsonValue& v, const QString& name)
    {
        const qint64 i = v.toInteger();
        if (i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max())
            throwOutOfRange(name, "32-bit integer");
        return static_cast<int>(i);
    }
    static QJsonValue to(int v) { return QJsonValue(v); }
};
template <> struct Json<double>
{
    static constexpr ParamType type = ParamType::Number;
    static double from(const QJsonValue& v, const QString&) { return v.toDouble(); }
    static QJsonValue to(double v) { return QJsonValue(v); }
};
template <> struct Json<QString>
{
    static constexpr ParamType type = ParamType::String;
    static QString from(const QJsonValue& v, const QString&) { return v.toString(); }
    static QJsonValue to(QString v) { return QJsonValue(std::move(v)); }
};
template <> struct Json<bool>
{
    static constexpr ParamType type = ParamType::Boolean;
    static bool from(const QJsonValue& v, const QString&) { return v.toBool(); }
    static QJsonValue to(bool v) { return QJsonValue(v); }
};
template <> struct Json<QJsonArray>
{
    static constexpr ParamType type = ParamType::Array;
    static QJsonArray from(const QJsonValue& v, const QString&) { return v.toArray(); }
    static QJsonValue to(QJsonArray v) { return QJsonValue(std::move(v)); }
};
template <> struct Json<QJsonObject>
{
    static constexpr ParamType type = ParamType::Object;
    static QJsonObject from(const QJsonValue& v, const QString&) { return v.toObject(); }
    static QJsonValue to(QJsonObject v) { return QJsonValue(std::move(v)); }
};
template <> struct Json<QJsonValue>
{
    static constexpr ParamType type = ParamType::Any;
    static QJsonValue from(const QJsonValue& v, const QString&) { return v; }
    static QJsonValue to(QJsonValue v) { return v; }
};

template <class T> using Plain = std::remove_cvref_t<T>;

template <class R> constexpr ParamType resultTypeOf()
{
    if constexpr (std::is_void_v<R> || std::is_same_v<Plain<R>, RpcResult>)
        return ParamType::Any;
    else
        return Json<Plain<R>>::type;
}

// MethodInfo from the declared Arg()s and the C++ parameter types (first N of Params).
template <class Params, std::size_t... I>
MethodInfo makeInfo(const QString& name, const QString& doc, ParamType result, const QList<Arg>& args,
                    std::index_sequence<I...>)
{
    MethodInfo info;
    info.name = name;
    info.description = doc;
    info.resultType = result;
    info.params = {ParamInfo{args[I].name, Json<Plain<std::tuple_element_t<I, Params>>>::type,
                             args[I].description, args[I].defaultValue, false}...};
    return info;
}

// Calls `fn` with the converted arguments (plus `extra...`, e.g. the Responder).
template <class Params, class F, std::size_t... I, class... Extra>
decltype(auto) invokeWith(F& fn, const QJsonArray& a, const QStringList& names, std::index_sequence<I...>,
                          Extra&&... extra)
{
    return fn(Json<Plain<std::tuple_element_t<I, Params>>>::from(a.at(qsizetype(I)), names[qsizetype(I)])...,
              std::forward<Extra>(extra)...);
}

// Runs `body` and turns exceptions into the error they stand for.
template <class Body> RpcResult guarded(Body&& body)
{
    try {
        return body();
    } catch (const RpcException& e) {
        return RpcResult::failure(e.error());
    } catch (const std::exception& e) {
        return RpcResult::failure(ErrorCode::InternalError, QString::fromUtf8(e.what()));
    } catch (...) {
        return RpcResult::failure(ErrorCode::InternalError, QStringLiteral("unknown exception in handler"));
    }
}

template <class... A> QList<Arg> toArgs(A&&... args)
{
    static_assert((std::is_convertible_v<Plain<A>, Arg> && ...),
                  "parameters must be declared with arg(\"name\")");
    return QList<Arg>{Arg(std::forward<A>(args))...};
}

QStringList argNames(const QList<Arg>& args);

} // namespace detail

template <class F, class... A>
void MethodRegistry::def(const QString& name, F&& fn, const QString& doc, A&&... args)
{
    using Traits = detail::FunctionTraits<std::decay_t<F>>;
    using Params = typename Traits::Params;
    using R = typename Traits::Result;
    static_assert(sizeof...(A) == Traits::arity,
                  "def(): the number of arg() declarations must equal the callable's parameter count");
    constexpr auto seq = std::make_index_sequence<Traits::arity>{};
    const QList<Arg> declared = detail::toArgs(std::forward<A>(args)...);
    MethodInfo info = detail::makeInfo<Params>(name, doc, detail::resultTypeOf<R>(), declared, seq);
    addSync(std::move(info), [f = std::decay_t<F>(std::forward<F>(fn)),
                              names = detail::argNames(declared)](const QJsonArray& a) mutable {
        return detail::guarded([&]() -> RpcResult {
            if constexpr (std::is_void_v<R>) {
                detail::invokeWith<Params>(f, a, names, std::make_index_sequence<Traits::arity>{});
                return RpcResult::success(QJsonValue::Null);
            } else if constexpr (std::is_same_v<detail::Plain<R>, RpcResult>) {
                return detail::invokeWith<Params>(f, a, names, std::make_index_sequence<Traits::arity>{});
            } else {
                return RpcResult::success(detail::Json<detail::Plain<R>>::to(
                    detail::invokeWith<Params>(f, a, names, std::make_index_sequence<Traits::arity>{})));
            }
        });
    });
}

template <class F, class... A>
void MethodRegistry::defAsync(const QString& name, F&& fn, const QString& doc, A&&... args)
{
    using Traits = detail::FunctionTraits<std::decay_t<F>>;
    using Params = typename Traits::Params;
    static_assert(Traits::arity >= 1, "defAsync(): the callable's last parameter must be a Responder");
    constexpr std::size_t n = Traits::arity - 1;
    static_assert(std::is_constructible_v<detail::Plain<std::tuple_element_t<n, Params>>, Responder>,
                  "defAsync(): the callable's last parameter must be a Responder");
    static_assert(sizeof...(A) == n, "defAsync(): the number of arg() declarations must equal the callable's "
                                     "parameter count minus the trailing Responder");
    const QList<Arg> declared = detail::toArgs(std::forward<A>(args)...);
    MethodInfo info =
        detail::makeInfo<Params>(name, doc, ParamType::Any, declared, std::make_index_sequence<n>{});
    add(std::move(info), [f = std::decay_t<F>(std::forward<F>(fn)),
                          names = detail::argNames(declared)](const QJsonArray& a, Responder done) mutable {
        // A throw before answering becomes the reply; a throw after answering is ignored
        // because a Responder answers only once.
        RpcResult failed = detail::guarded([&]() -> RpcResult {
            detail::invokeWith<Params>(f, a, names, std::make_index_sequence<n>{}, Responder(done));
            return RpcResult::success({});
        });
        if (!failed.ok)
            done(std::move(failed));
    });
}

} // namespace rpcbench
