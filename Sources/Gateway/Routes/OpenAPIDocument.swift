/// The OpenAPI 3 description of every route, served at `/openapi.json`. Hand-written next to
/// the routes; `MetaRoutesTests` checks it lists each one, and schemathesis checks the running
/// gateway against it (Tests/python/gateway).
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "orderhub REST gateway",
    "version": "1.0.0",
    "description": "REST and JSON in front of the orderhub Orders gRPC service. Every request is one RPC with a deadline (default 5 s). JSON follows the proto3 JSON mapping: lowerCamelCase names out, lowerCamelCase or proto names in, enums as names (numbers accepted), int64 written as strings (strings or numbers accepted), unknown fields refused unless the request has the header Json-Ignore-Unknown-Fields: true. Errors are google.rpc.Status: {code, message, details} with grpc-gateway's HTTP status map."
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "tags": [
    {
      "name": "orders",
      "description": "The Orders service (orderhub.v1.Orders)"
    },
    {
      "name": "legacy",
      "description": "The original exercise's /api/v1/order routes and shapes"
    },
    {
      "name": "meta",
      "description": "Health, this document and the web page"
    }
  ],
  "paths": {
    "/v1/orders": {
      "post": {
        "tags": [
          "orders"
        ],
        "operationId": "CreateOrder",
        "summary": "Create an order (CreateOrder). Creation never waits for the payment.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateOrderRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The order, in ORDER_STATE_CREATED (or the first order made with the same Idempotency-Key and payload).",
            "headers": {
              "Location": {
                "description": "/v1/orders/{id}",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Order"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "415": {
            "$ref": "#/components/responses/Error"
          },
          "default": {
            "$ref": "#/components/responses/Error"
          }
        }
      },
      "get": {
        "tags": [
          "orders"
        ],
        "operationId": "ListOrders",
        "summary": "List orders, newest first (ListOrders).",
        "parameters": [
          {
            "name": "state",
            "in": "query",
            "description": "Only orders in this state: the enum name, its number, or the short name (created).",
            "schema": {
              "type": "string",
              "enum": [
                "ORDER_STATE_UNSPECIFIED",
                "ORDER_STATE_CREATED",
                "ORDER_STATE_CONFIRMED",
                "ORDER_STATE_DELIVERED",
                "ORDER_STATE_CANCELLED",
                "created",
                "confirmed",
                "delivered",
                "cancelled",
                "0",
                "1",
                "2",
                "3",
                "4"
              ]
            }
          },
          {
            "name": "pageSize",
            "in": "query",
            "description": "Orders per page: 0 or absent means 20, more than 100 means 100.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 0
            }
          },
          {
            "name": "pageToken",
            "in": "query",
            "description": "nextPageToken of the previous page.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "customerId",
            "in": "query",
            "description": "Only this customer's orders.",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page of orders.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ListOrdersResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "default": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/v1/orders/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/OrderID"
        }
      ],
      "get": {
        "tags": [
          "orders"
        ],
        "operationId": "GetOrder",
        "summary": "Get one order (GetOrder).",
        "responses": {
          "200": {
            "description": "The order.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Order"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "default": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/v1/orders/{id}:cancel": {
      "parameters": [
        {
          "$ref": "#/components/parameters/OrderID"
        }
      ],
      "post": {
        "tags": [
          "orders"
        ],
        "operationId": "CancelOrder",
        "summary": "Cancel an order (CancelOrder): allowed while created or confirmed (the payment is refunded); a cancelled order is returned unchanged; a delivered one is FAILED_PRECONDITION.",
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {}
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The order, cancelled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Order"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "default": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/v1/orders/{id}/events": {
      "parameters": [
        {
          "$ref": "#/components/parameters/OrderID"
        }
      ],
      "get": {
        "tags": [
          "orders"
        ],
        "operationId": "WatchOrder",
        "summary": "Watch an order (WatchOrder) as Server-Sent Events: the current state, then every change, one `data:` line with the order's JSON per event; `: heartbeat` comments keep the stream open; it ends when the order is final. A failure after the start is an `event: status` with the error body.",
        "responses": {
          "200": {
            "description": "An event stream.",
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "object",
                  "description": "One Server-Sent Event: `data` is an Order as JSON (event `message`), or a Status (event `status`) when the call fails after the stream started.",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "event": {
                      "type": "string",
                      "enum": [
                        "message",
                        "status"
                      ]
                    },
                    "data": {
                      "type": "string"
                    },
                    "id": {
                      "type": "string"
                    },
                    "retry": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "default": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/api/v1/order": {
      "get": {
        "tags": [
          "legacy"
        ],
        "operationId": "LegacyListOrders",
        "summary": "The original exercise's order list (the newest 100 orders).",
        "responses": {
          "200": {
            "description": "{status, data: {orders}}",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LegacyOrderList"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/LegacyError"
          }
        }
      },
      "post": {
        "tags": [
          "legacy"
        ],
        "operationId": "LegacyCreateOrder",
        "summary": "The original exercise's create. Answers at once with the order in `created`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LegacyCreateOrder"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "{status, data: {results, token}}",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LegacyCreated"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/LegacyError"
          },
          "413": {
            "$ref": "#/components/responses/LegacyError"
          },
          "415": {
            "$ref": "#/components/responses/LegacyError"
          },
          "default": {
            "$ref": "#/components/responses/LegacyError"
          }
        }
      }
    },
    "/api/v1/order/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/OrderID"
        }
      ],
      "get": {
        "tags": [
          "legacy"
        ],
        "operationId": "LegacyOrderState",
        "summary": "The original exercise's state check.",
        "responses": {
          "200": {
            "description": "{status, data: {state}}",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LegacyStateAnswer"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/LegacyError"
          },
          "default": {
            "$ref": "#/components/responses/LegacyError"
          }
        }
      },
      "put": {
        "tags": [
          "legacy"
        ],
        "operationId": "LegacyCancelOrder",
        "summary": "The original exercise's cancel, with orderhub's rules.",
        "responses": {
          "200": {
            "description": "{status, data: {order}}",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LegacyCancelled"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/LegacyError"
          },
          "404": {
            "$ref": "#/components/responses/LegacyError"
          },
          "default": {
            "$ref": "#/components/responses/LegacyError"
          }
        }
      }
    },
    "/healthz": {
      "get": {
        "tags": [
          "meta"
        ],
        "operationId": "Health",
        "summary": "SERVING when the gateway runs and Orders answers grpc.health.v1.Health/Check with SERVING.",
        "responses": {
          "200": {
            "description": "Serving.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "503": {
            "description": "Orders is not serving or unreachable.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "tags": [
          "meta"
        ],
        "operationId": "OpenAPI",
        "summary": "This document.",
        "responses": {
          "200": {
            "description": "OpenAPI 3 document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/": {
      "get": {
        "tags": [
          "meta"
        ],
        "operationId": "Page",
        "summary": "The web page.",
        "responses": {
          "200": {
            "description": "HTML.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "parameters": {
      "OrderID": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The order's id (a UUID).",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 64,
          "pattern": "^[A-Za-z0-9_-]+$"
        }
      },
      "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "Makes the create idempotent (request_id): a retry with the same key and payload returns the first order; the same key with another payload is 409 ALREADY_EXISTS. 1–64 visible ASCII characters (a UUID fits).",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 64,
          "pattern": "^[!-~]+$"
        }
      }
    },
    "responses": {
      "Error": {
        "description": "A failed call: google.rpc.Status.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Status"
            }
          }
        }
      },
      "LegacyError": {
        "description": "The original exercise's error envelope, plus code and details.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/LegacyError"
            }
          }
        }
      }
    },
    "schemas": {
      "Int64": {
        "description": "int64, written as a decimal string; numbers are accepted on input.",
        "oneOf": [
          {
            "type": "string",
            "pattern": "^-?[0-9]+$"
          },
          {
            "type": "integer",
            "format": "int64"
          }
        ]
      },
      "OrderState": {
        "type": "string",
        "enum": [
          "ORDER_STATE_UNSPECIFIED",
          "ORDER_STATE_CREATED",
          "ORDER_STATE_CONFIRMED",
          "ORDER_STATE_DELIVERED",
          "ORDER_STATE_CANCELLED"
        ]
      },
      "CancelReason": {
        "type": "string",
        "enum": [
          "CANCEL_REASON_UNSPECIFIED",
          "CANCEL_REASON_USER_REQUESTED",
          "CANCEL_REASON_PAYMENT_DECLINED",
          "CANCEL_REASON_PAYMENT_TIMEOUT"
        ]
      },
      "LineItem": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "sku",
          "quantity"
        ],
        "properties": {
          "sku": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "Stock keeping unit."
          },
          "quantity": {
            "type": "integer",
            "format": "int32",
            "minimum": 1
          },
          "unitPriceCents": {
            "description": "Price of one unit in the smallest currency unit, at least 0 (int64: a string or a number).",
            "oneOf": [
              {
                "type": "string",
                "pattern": "^[0-9]{1,18}$"
              },
              {
                "type": "integer",
                "format": "int64",
                "minimum": 0,
                "maximum": 999999999999999999
              }
            ],
            "nullable": true
          }
        }
      },
      "CreateOrderRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "customerId",
          "items",
          "currency",
          "paymentToken"
        ],
        "properties": {
          "customerId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64
          },
          "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
              "$ref": "#/components/schemas/LineItem"
            }
          },
          "currency": {
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "ISO-4217 code, three upper-case letters."
          },
          "paymentToken": {
            "type": "string",
            "minLength": 1,
            "description": "Handed to Payments: tok_approve always approves, tok_decline always declines, any other token is approved at random."
          },
          "requestId": {
            "type": "string",
            "maxLength": 64,
            "nullable": true,
            "description": "Idempotency key; the Idempotency-Key header sets it too. null means unset, as for every proto3 JSON field."
          }
        }
      },
      "Order": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "state",
          "customerId",
          "items",
          "totalCents",
          "currency",
          "cancelReason",
          "paymentId",
          "createdAt",
          "updatedAt",
          "deliverAt",
          "requestId"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/OrderState"
          },
          "customerId": {
            "type": "string"
          },
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/LineItemOut"
            }
          },
          "totalCents": {
            "type": "string",
            "pattern": "^-?[0-9]+$"
          },
          "currency": {
            "type": "string"
          },
          "cancelReason": {
            "$ref": "#/components/schemas/CancelReason"
          },
          "paymentId": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "pattern": "^-?[0-9]+$",
            "description": "Unix milliseconds."
          },
          "updatedAt": {
            "type": "string",
            "pattern": "^-?[0-9]+$",
            "description": "Unix milliseconds."
          },
          "deliverAt": {
            "type": "string",
            "pattern": "^-?[0-9]+$",
            "description": "Unix milliseconds; 0 until confirmed."
          },
          "requestId": {
            "type": "string"
          }
        }
      },
      "LineItemOut": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "sku",
          "quantity",
          "unitPriceCents"
        ],
        "properties": {
          "sku": {
            "type": "string"
          },
          "quantity": {
            "type": "integer",
            "format": "int32"
          },
          "unitPriceCents": {
            "type": "string",
            "pattern": "^-?[0-9]+$"
          }
        }
      },
      "ListOrdersResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "orders",
          "nextPageToken"
        ],
        "properties": {
          "orders": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Order"
            }
          },
          "nextPageToken": {
            "type": "string",
            "description": "Empty on the last page."
          }
        }
      },
      "Status": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "code",
          "message",
          "details"
        ],
        "properties": {
          "code": {
            "type": "integer",
            "minimum": 1,
            "maximum": 16,
            "description": "The gRPC status code."
          },
          "message": {
            "type": "string"
          },
          "details": {
            "type": "array",
            "maxItems": 0,
            "items": {}
          }
        }
      },
      "Health": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status",
          "checks"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "SERVING",
              "NOT_SERVING"
            ]
          },
          "checks": {
            "type": "object",
            "required": [
              "gateway",
              "orders"
            ],
            "properties": {
              "gateway": {
                "type": "string"
              },
              "orders": {
                "type": "string",
                "description": "The Health/Check answer, or the RPC error's code name."
              }
            }
          }
        }
      },
      "LegacyState": {
        "type": "string",
        "enum": [
          "unspecified",
          "created",
          "confirmed",
          "delivered",
          "cancelled"
        ]
      },
      "LegacyOrder": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "_id",
          "id",
          "state",
          "orderItems",
          "orderCreatedAt",
          "__v"
        ],
        "properties": {
          "_id": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/LegacyState"
          },
          "orderItems": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "orderCreatedAt": {
            "type": "string",
            "format": "date-time"
          },
          "__v": {
            "type": "integer"
          }
        }
      },
      "LegacyCreateOrder": {
        "type": "object",
        "required": [
          "orderItems"
        ],
        "description": "The original body. orderhub also reads customerId, currency and paymentToken here; other fields are ignored, as Express did.",
        "properties": {
          "orderItems": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            }
          },
          "customerId": {
            "type": "string",
            "maxLength": 64,
            "nullable": true,
            "description": "Empty or absent: the configured default (12345, as the seed hard-coded)."
          },
          "currency": {
            "type": "string",
            "pattern": "^([A-Z]{3})?$",
            "nullable": true,
            "description": "Empty or absent: the configured default (USD)."
          },
          "paymentToken": {
            "type": "string",
            "nullable": true,
            "description": "Empty or absent: the configured default (tok_random). tok_approve and tok_decline decide deterministically."
          }
        }
      },
      "LegacyCreated": {
        "type": "object",
        "required": [
          "status",
          "data"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "success"
            ]
          },
          "data": {
            "type": "object",
            "required": [
              "results",
              "token"
            ],
            "properties": {
              "results": {
                "$ref": "#/components/schemas/LegacyOrder"
              },
              "token": {
                "nullable": true,
                "type": "string",
                "description": "Always null: orderhub has no token to hand out."
              }
            }
          }
        }
      },
      "LegacyOrderList": {
        "type": "object",
        "required": [
          "status",
          "data"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "success"
            ]
          },
          "data": {
            "type": "object",
            "required": [
              "orders"
            ],
            "properties": {
              "orders": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/LegacyOrder"
                }
              }
            }
          }
        }
      },
      "LegacyStateAnswer": {
        "type": "object",
        "required": [
          "status",
          "data"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "success"
            ]
          },
          "data": {
            "type": "object",
            "required": [
              "state"
            ],
            "properties": {
              "state": {
                "$ref": "#/components/schemas/LegacyState"
              }
            }
          }
        }
      },
      "LegacyCancelled": {
        "type": "object",
        "required": [
          "status",
          "data"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "success"
            ]
          },
          "data": {
            "type": "object",
            "required": [
              "order"
            ],
            "properties": {
              "order": {
                "$ref": "#/components/schemas/LegacyOrder"
              }
            }
          }
        }
      },
      "LegacyError": {
        "type": "object",
        "required": [
          "status",
          "message",
          "code",
          "details"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "fail",
              "error"
            ]
          },
          "message": {
            "type": "string"
          },
          "code": {
            "type": "integer",
            "minimum": 1,
            "maximum": 16
          },
          "details": {
            "type": "array",
            "maxItems": 0,
            "items": {}
          }
        }
      }
    }
  }
}
"""#
}
