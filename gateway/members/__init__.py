"""Members over HTTP: body and answer models, protobuf translation, channel rules."""
