-- National need types (需求类型) with their routes and deadlines in seconds (accept / resolve) per urgency:
-- 一般 normal, 紧急 urgent, 非常紧急 critical. A county overrides a type by adding its own row.
INSERT INTO "need_type" ("county_code", "code", "name_zh", "name_en", "route", "deadlines", "icon", "sort") VALUES
  ('', 'medicine', '买药送药', 'Medicine purchase or delivery', 'help',
   '{"normal":{"accept":7200,"resolve":86400},"urgent":{"accept":1800,"resolve":14400},"critical":{"accept":900,"resolve":7200}}', 'medicine', 10),
  ('', 'errand', '代购代办', 'Errand (purchase on behalf)', 'help',
   '{"normal":{"accept":7200,"resolve":86400},"urgent":{"accept":3600,"resolve":28800},"critical":{"accept":1800,"resolve":14400}}', 'errand', 20),
  ('', 'consultation', '健康咨询', 'Health consultation', 'health',
   '{"normal":{"accept":7200,"resolve":86400},"urgent":{"accept":1800,"resolve":14400},"critical":{"accept":900,"resolve":3600}}', 'consultation', 30),
  ('', 'fever', '发烧或其他症状', 'Fever or other symptoms', 'health',
   '{"normal":{"accept":3600,"resolve":14400},"urgent":{"accept":1800,"resolve":7200},"critical":{"accept":600,"resolve":3600}}', 'fever', 40),
  ('', 'transfer', '协助转运重症', 'Severe-case transfer', 'health',
   '{"normal":{"accept":1800,"resolve":7200},"urgent":{"accept":900,"resolve":5400},"critical":{"accept":600,"resolve":3600}}', 'transfer', 50),
  ('', 'meals', '送餐', 'Meal delivery', 'help',
   '{"normal":{"accept":7200,"resolve":86400},"urgent":{"accept":3600,"resolve":28800},"critical":{"accept":1800,"resolve":14400}}', 'meals', 60),
  ('', 'livelihood', '生活困难', 'Livelihood difficulty', 'livelihood',
   '{"normal":{"accept":86400,"resolve":604800},"urgent":{"accept":14400,"resolve":259200},"critical":{"accept":3600,"resolve":86400}}', 'livelihood', 70),
  ('', 'other', '其他', 'Other', 'help',
   '{"normal":{"accept":7200,"resolve":86400},"urgent":{"accept":3600,"resolve":28800},"critical":{"accept":1800,"resolve":14400}}', 'other', 80);
