-- model.version: the hash of the model SQL the model tables were computed with ($v, model.model_version()).
create or replace table model.version as select $v as model_version;
