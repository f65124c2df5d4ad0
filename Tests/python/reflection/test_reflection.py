"""gRPC server reflection on the real Orders and Payments services, through stock clients:
grpcio-reflection's ProtoReflectionDescriptorDatabase (which speaks v1alpha) and the v1
service through stubs generated from Protos/. Each test resolves a method's file, builds the
request type from the resolved descriptors alone and calls the method dynamically."""
import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from orders.harness import system
from support import stubs

REFLECTION = {"grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    with system(tmp_path_factory.mktemp("reflection")) as (orders, payments):
        yield orders, payments


def dynamic_call(channel, pool, full_method: str, **fields):
    """Calls a unary method knowing only its name and a descriptor pool; returns (code, reply)."""
    service_name, method_name = full_method.rsplit(".", 1)
    method = pool.FindServiceByName(service_name).methods_by_name[method_name]
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary(f"/{service_name}/{method_name}", request_serializer=request_class.SerializeToString,
                               response_deserializer=response_class.FromString)
    try:
        return grpc.StatusCode.OK, call(request_class(**fields), timeout=10)
    except grpc.RpcError as error:
        return error.code(), None


def test_v1alpha_lists_services_on_both(services):
    orders, payments = services
    for service, own in ((orders, "orderhub.v1.Orders"), (payments, "orderhub.v1.Payments")):
        with grpc.insecure_channel(service.address) as channel:
            listed = set(ProtoReflectionDescriptorDatabase(channel).get_services())
        assert listed == {own, "grpc.health.v1.Health", *REFLECTION}, f"{service.role}: {listed}"


def test_v1alpha_descriptors_build_a_get_order_call(services):
    orders, _ = services
    with grpc.insecure_channel(orders.address) as channel:
        pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
        get_order = pool.FindMethodByName("orderhub.v1.Orders.GetOrder")
        assert get_order.input_type.full_name == "orderhub.v1.GetOrderRequest"
        # The google.api.http annotation resolves too: its files came with orders.proto.
        assert pool.FindFileByName("google/api/annotations.proto").dependencies[1].name == "google/protobuf/descriptor.proto"
        code, _ = dynamic_call(channel, pool, "orderhub.v1.Orders.GetOrder", id="00000000-0000-0000-0000-000000000000")
    # NOT_FOUND from the handler (UNAUTHENTICATED once customer tokens are required): the call
    # reached the service with a request built from reflected descriptors only.
    assert code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.UNAUTHENTICATED), code


def test_v1alpha_health_check_on_payments(services):
    _, payments = services
    with grpc.insecure_channel(payments.address) as channel:
        pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
        code, reply = dynamic_call(channel, pool, "grpc.health.v1.Health.Check", service="orderhub.v1.Payments")
    assert code == grpc.StatusCode.OK and reply.status == 1  # SERVING


def _v1_ask(channel, **request):
    reflection_pb2 = stubs.load("grpc.reflection.v1.reflection_pb2")
    reflection_grpc = stubs.load("grpc.reflection.v1.reflection_pb2_grpc")
    stub = reflection_grpc.ServerReflectionStub(channel)
    # Two requests on one stream: each is answered as it arrives, in order.
    requests = [reflection_pb2.ServerReflectionRequest(host="x", **request),
                reflection_pb2.ServerReflectionRequest(host="x", file_containing_symbol="no.such.Symbol")]
    answers = list(stub.ServerReflectionInfo(iter(requests), timeout=10))
    assert len(answers) == 2 and answers[1].error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]
    assert answers[0].original_request == requests[0]
    return answers[0]


def test_v1_lists_services_and_builds_a_payments_call(services):
    _, payments = services
    with grpc.insecure_channel(payments.address) as channel:
        listed = {service.name for service in _v1_ask(channel, list_services="").list_services_response.service}
        assert listed == {"orderhub.v1.Payments", "grpc.health.v1.Health", *REFLECTION}
        files = _v1_ask(channel, file_containing_symbol="orderhub.v1.Payments.GetPayment").file_descriptor_response
        protos = [descriptor_pb2.FileDescriptorProto.FromString(raw) for raw in files.file_descriptor_proto]
        assert protos[0].name == "orderhub/v1/payments.proto"
        pool = descriptor_pool.DescriptorPool()
        for proto in reversed(protos):   # dependencies first
            pool.Add(proto)
        code, _ = dynamic_call(channel, pool, "orderhub.v1.Payments.GetPayment", payment_id="missing")
    # Payments wants a service token: UNAUTHENTICATED proves the call reached its handler.
    assert code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.NOT_FOUND), code


def test_v1_extension_queries(services):
    orders, _ = services
    with grpc.insecure_channel(orders.address) as channel:
        numbers = _v1_ask(channel, all_extension_numbers_of_type="google.protobuf.MethodOptions")
        assert list(numbers.all_extension_numbers_response.extension_number) == [72295728]
        reflection_pb2 = stubs.load("grpc.reflection.v1.reflection_pb2")
        extension = reflection_pb2.ExtensionRequest(containing_type="google.protobuf.MethodOptions", extension_number=72295728)
        found = _v1_ask(channel, file_containing_extension=extension).file_descriptor_response
        assert descriptor_pb2.FileDescriptorProto.FromString(found.file_descriptor_proto[0]).name == "google/api/annotations.proto"
